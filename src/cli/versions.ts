import { HEAD_KEY, HISTORY_KEY } from '../content/keys'
import { toZonedIso } from '../content/time'
import { TargetError, UsageError } from './errors'
import { acquireLock } from './lock'
import type { Output } from './output'
import { countPosts, type HistoryEntry, liveSince, type Manifest, manifestKey, parseHead, pushHistory, readManifests, readTargetState, replacedHead } from './state'
import { assertTargetConfig, describeTarget, Kv, localStoreDir, type Target } from './wrangler'

// versions and rollback: the live head and the earlier versions kept in `head:history`. Rolling
// back writes an earlier head's exact bytes, kept in its version's manifest (or, for a version an
// older Quire published, in the history itself); its blobs are still there, because prune keeps
// every blob and the manifest of every kept version.

export const formatWhen = (ms: number, timeZone: string): string => toZonedIso(ms, timeZone).replace('T', ' ')

export interface VersionsOptions {
  target: Target
  out: Output
}

export async function versions({ target, out }: VersionsOptions): Promise<void> {
  assertTargetConfig(target)
  const state = await readTargetState(new Kv(target))
  const where = describeTarget(target)
  if (!state.head) {
    out.info(`${where} has nothing published yet`)
    return
  }
  const timeZone = state.head.site.timeZone
  const since = liveSince(state.history)
  const pages = (n: number) => `${n} page${n === 1 ? '' : 's'}`
  out.info(`versions kept in ${where}, newest first:`)
  out.info(
    `* ${state.head.version}  live${since ? ` since ${formatWhen(since, timeZone)}` : ''}  ` +
      `${countPosts(state.head)} posts, ${pages(state.head.pages.length)}`,
  )
  for (const entry of state.history.entries) {
    const counts = countsOf(entry)
    out.info(`  ${entry.version}  live until ${formatWhen(entry.replacedAt, timeZone)}  ${counts ? `${counts.posts} posts, ${pages(counts.pages)}` : '(unreadable)'}`)
  }
  if (state.history.entries.length === 0) out.info('no earlier version is kept yet: each publish keeps the one it replaces')
  else out.info(`roll back with: npm run quire -- rollback [VERSION] --${target.mode}`)
}

/** An entry's counts: written in it, or, in an entry an older Quire wrote, read from its head. */
function countsOf(entry: HistoryEntry): { posts: number; pages: number } | null {
  if (entry.posts !== undefined && entry.pages !== undefined) return { posts: entry.posts, pages: entry.pages }
  if (entry.head === undefined) return null
  try {
    const head = parseHead(entry.head, `${HISTORY_KEY} ${entry.version}`)
    return { posts: countPosts(head), pages: head.pages.length }
  } catch {
    return null
  }
}

export interface RollbackOptions {
  target: Target
  out: Output
  /** A kept version, or a prefix of one; the one before the live head when absent. */
  version?: string
}

export async function rollback({ target, out, version }: RollbackOptions): Promise<void> {
  assertTargetConfig(target)
  const kv = new Kv(target)
  const where = describeTarget(target)
  const lock = target.mode === 'local' ? await acquireLock(localStoreDir(target), 'rollback') : null
  try {
    const state = await readTargetState(kv)
    if (!state.head || state.headText === null) throw new TargetError(`${where} has nothing published, so there is nothing to roll back`)
    if (version && state.head.version.startsWith(version)) {
      out.info(`version ${state.head.version} is already live in ${where}; nothing changed`)
      return
    }
    const entry = pickEntry(state.history.entries, version, where)
    // One read for both: the live manifest says whether the history must keep the live head's bytes.
    const manifests = await readManifests(kv, entry.head === undefined ? [state.head.version, entry.version] : [state.head.version])
    const headText = entry.head ?? headOfManifest(entry.version, manifests.get(entry.version) ?? null)
    const history = pushHistory(
      { schema: 1, entries: state.history.entries.filter((e) => e !== entry) },
      replacedHead(state.head, state.headText, manifests.get(state.head.version)),
      Date.now(),
    )
    // History first, head last, as in publish: dying in between leaves the live head in place.
    await kv.bulkPut([{ key: HISTORY_KEY, value: JSON.stringify(history) }])
    if (target.mode === 'remote') {
      // No lock spans machines: re-read head just before writing it, and refuse if it moved.
      const now = (await kv.bulkGet([HEAD_KEY])).get(HEAD_KEY) ?? null
      if (now !== state.headText) {
        throw new TargetError(`the head of ${where} changed while rolling back (another publish or rollback ran); run rollback again`)
      }
    }
    await kv.bulkPut([{ key: HEAD_KEY, value: headText }])
    out.info(`rolled back ${where} to version ${entry.version}, replacing ${state.head.version}`)
    out.info(`undo with: npm run quire -- rollback ${state.head.version} --${target.mode}`)
  } finally {
    await lock?.release()
  }
}

/** The exact bytes of `version`'s head, from its manifest; an error that says why when it lacks them. */
function headOfManifest(version: string, manifest: Manifest | null): string {
  const cannot = `cannot roll back to version ${version}: ${HISTORY_KEY} keeps only its counts, and its manifest (${manifestKey(version)})`
  if (!manifest) throw new TargetError(`${cannot} is missing; nothing was changed`)
  if (manifest.head === null) throw new TargetError(`${cannot} was written by an older Quire, without the head; nothing was changed`)
  const head = parseHead(manifest.head, `${manifestKey(version)} head`)
  if (head.version !== version) throw new TargetError(`${cannot} holds the head of version ${head.version}; nothing was changed`)
  return manifest.head
}

function pickEntry(entries: HistoryEntry[], version: string | undefined, where: string): HistoryEntry {
  if (entries.length === 0) throw new TargetError(`${where} keeps no earlier version to roll back to`)
  if (!version) return entries[0] as HistoryEntry
  const matches = entries.filter((entry) => entry.version.startsWith(version))
  if (matches.length === 1) return matches[0] as HistoryEntry
  const kept = entries.map((entry) => entry.version).join(', ')
  if (matches.length === 0) throw new UsageError(`no kept version starts with "${version}"; kept: ${kept}`)
  throw new UsageError(`"${version}" matches ${matches.length} kept versions; give more characters of one of: ${kept}`)
}
