import { blobKey, HISTORY_KEY, hashOfBlobKey } from '../content/keys'
import type { Head } from '../content/schema'
import { TargetError, UsageError } from './errors'
import { acquireLock } from './lock'
import { formatElapsed, type Output, plural } from './output'
import { blobsOfHead, parseHead, readArchiveShards, readTargetState } from './state'
import { assertRemoteNamespace, BULK_MAX_KEYS, describeTarget, Kv, type ListedKey, localStoreDir, type Target } from './wrangler'

// prune: deletes blobs no kept head names. A blob younger than the grace period is spared even so:
// a publish may have uploaded it and not yet written the head that names it, and a data center may
// still serve a head from a minute ago.

export const DEFAULT_GRACE = '1h'

export interface PruneOptions {
  target: Target
  out: Output
  olderThanMs: number
  dryRun?: boolean
}

export interface PruneReport {
  kept: number
  deleted: string[]
  sparedYoung: number
}

export async function prune({ target, out, olderThanMs, dryRun }: PruneOptions): Promise<PruneReport> {
  assertRemoteNamespace(target)
  const kv = new Kv(target)
  const where = describeTarget(target)
  const lock = target.mode === 'local' && !dryRun ? await acquireLock(localStoreDir(target), 'prune') : null
  try {
    const state = await readTargetState(kv)
    const heads: Head[] = state.head ? [state.head] : []
    for (const entry of state.history.entries) heads.push(parseHead(entry.head, `${HISTORY_KEY} ${entry.version}`))
    const { shards, missing } = await readArchiveShards(kv, heads)
    if (missing.length > 0) {
      throw new TargetError(
        `a kept head names ${blobKey(missing[0] ?? '')}, which ${where} does not have; prune needs every kept index to know ` +
          'which blobs are in use, so it deleted nothing. Publish again to repair the live version.',
      )
    }
    const inUse = new Set<string>()
    for (const head of heads) for (const hash of blobsOfHead(head, shards)) inUse.add(hash)

    const listed = await kv.listHexKeys('blob:')
    const cutoff = Date.now() - olderThanMs
    const unused = listed.filter((key) => !inUse.has(hashOfBlobKey(key.name)))
    // A blob with no upload time was not written by quire's publish: its age is unknown, and no
    // publish in flight can be waiting for it.
    const old = unused.filter((key) => (uploadedAt(key) ?? 0) <= cutoff)
    const report: PruneReport = { kept: listed.length - unused.length, deleted: old.map((key) => key.name), sparedYoung: unused.length - old.length }

    if (!dryRun) {
      for (let i = 0; i < old.length; i += BULK_MAX_KEYS) await kv.bulkDelete(report.deleted.slice(i, i + BULK_MAX_KEYS))
    }
    const grace = formatElapsed(olderThanMs)
    out.info(
      `${dryRun ? 'dry run: would delete' : 'deleted'} ${plural(report.deleted.length, 'unused blob')} from ${where}; ` +
        `kept ${plural(report.kept, 'blob')} named by ${plural(heads.length, 'kept version')}` +
        (report.sparedYoung > 0 ? ` and ${report.sparedYoung} unused but younger than ${grace}` : ''),
    )
    if (dryRun) for (const key of report.deleted) out.info(`  ${key}`)
    return report
  } finally {
    await lock?.release()
  }
}

function uploadedAt(key: ListedKey): number | undefined {
  const value = key.metadata?.uploadedAt
  return typeof value === 'number' ? value : undefined
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `90s`, `10m`, `1h`, `2d` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim())
  if (!match || (match[2] === undefined && Number(match[1]) !== 0)) {
    throw new UsageError(`cannot read "${text}" as a duration; write e.g. 90s, 10m, 1h or 2d`)
  }
  return Number(match[1]) * (UNITS[match[2] ?? 'ms'] ?? 1)
}
