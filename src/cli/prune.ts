import { hashOfBlobKey, renderKey, RENDERS_KEPT_PREFIX, rendersKeptKey } from '../content/keys'
import { RENDERER_VERSION } from '../markdown/version'
import { TargetError, UsageError } from './errors'
import { acquireLock } from './lock'
import { formatElapsed, type Output, plural } from './output'
import { MANIFEST_PREFIX, readManifests, readTargetState, versionOfManifestKey } from './state'
import { assertTargetConfig, BULK_MAX_KEYS, describeTarget, Kv, type ListedKey, localStoreDir, type Target } from './wrangler'

// prune: deletes blobs that no kept version's manifest names with their renders, the manifests of
// versions no longer kept (a kept version's manifest stays: it may hold the head a rollback writes
// back), and the renders of other renderers than this one, found through the marks that publishes
// under them left (renders-kept:). Anything younger than the grace period is spared even so: a
// publish may have uploaded it and not yet written the head that names it, and a data center may
// still serve a head from a minute ago, or code from before a deploy.

export const DEFAULT_GRACE = '1h'

export interface PruneOptions {
  target: Target
  out: Output
  olderThanMs: number
  dryRun?: boolean
}

export interface PruneReport {
  kept: number
  /** The unused blobs deleted. */
  deleted: string[]
  sparedYoung: number
  /** The renders of other renderers deleted. */
  renders: string[]
  /** The other renderers whose renders are all gone. */
  renderers: string[]
}

export async function prune({ target, out, olderThanMs, dryRun }: PruneOptions): Promise<PruneReport> {
  assertTargetConfig(target)
  const kv = new Kv(target)
  const where = describeTarget(target)
  const lock = target.mode === 'local' && !dryRun ? await acquireLock(localStoreDir(target), 'prune') : null
  try {
    const state = await readTargetState(kv)
    const kept = [...(state.head ? [state.head.version] : []), ...state.history.entries.map((entry) => entry.version)]
    const manifests = await readManifests(kv, kept)
    const inUse = new Set<string>()
    for (const [version, manifest] of manifests) {
      if (!manifest) {
        throw new TargetError(
          `${where} has no manifest for the kept version ${version}, so prune cannot tell which blobs it needs; ` +
            'it deleted nothing. Publish again (a new version records its manifest) and keep it live for the grace period.',
        )
      }
      for (const hash of manifest.blobs) inUse.add(hash)
    }

    const cutoff = Date.now() - olderThanMs
    // A key with no upload time was not written by quire publish: its age is unknown, and no
    // publish in flight can be waiting for it.
    const old = (key: ListedKey) => (uploadedAt(key) ?? 0) <= cutoff
    const blobs = await kv.listHexKeys('blob:')
    const unused = blobs.filter((key) => !inUse.has(hashOfBlobKey(key.name)))
    const keptVersions = new Set(kept)
    const staleManifests = (await kv.listHexKeys(MANIFEST_PREFIX)).filter((key) => !keptVersions.has(versionOfManifestKey(key.name)) && old(key))
    // A render lasts as long as its blob and its renderer; listing every render would be slow on
    // the local store (a listing page holds 1,000 keys), so those of the unused blobs are named, and
    // those of each other renderer listed under its prefix. The Worker's own renders have no upload
    // time, so the grace period spares none of them.
    const deletedBlobs = unused.filter(old).map((key) => key.name)
    const otherRenderers = (await kv.listHexKeys(RENDERS_KEPT_PREFIX))
      .map((key) => key.name.slice(RENDERS_KEPT_PREFIX.length))
      .filter((renderer) => renderer !== RENDERER_VERSION)
    const staleRenders: string[] = []
    const goneRenderers: string[] = []
    for (const renderer of otherRenderers) {
      const renders = await kv.listHexKeys(renderKey(renderer, ''))
      const doomedRenders = renders.filter(old)
      staleRenders.push(...doomedRenders.map((key) => key.name))
      if (doomedRenders.length === renders.length) goneRenderers.push(renderer)
    }
    const report: PruneReport = {
      kept: blobs.length - unused.length,
      deleted: deletedBlobs,
      sparedYoung: unused.length - deletedBlobs.length,
      renders: staleRenders,
      renderers: goneRenderers,
    }
    const doomed = [
      ...report.deleted,
      ...staleManifests.map((key) => key.name),
      ...report.renders,
      // A mark goes last, with the last of its renderer's renders: while it is there, prune finds them.
      ...goneRenderers.map(rendersKeptKey),
    ]
    // Deleting a key that is not there is no error: a deleted blob's render, if there was one.
    const blobRenders = report.deleted.map((key) => renderKey(RENDERER_VERSION, hashOfBlobKey(key)))
    if (!dryRun) {
      const all = [...blobRenders, ...doomed]
      for (let i = 0; i < all.length; i += BULK_MAX_KEYS) await kv.bulkDelete(all.slice(i, i + BULK_MAX_KEYS))
    }
    const grace = formatElapsed(olderThanMs)
    out.info(
      `${dryRun ? 'dry run: would delete' : 'deleted'} ${plural(report.deleted.length, 'unused blob')} from ${where}; ` +
        `kept ${plural(report.kept, 'blob')} named by ${plural(kept.length, 'kept version')}` +
        (report.sparedYoung > 0 ? ` and ${report.sparedYoung} unused but younger than ${grace}` : '') +
        (staleManifests.length > 0 ? `; ${dryRun ? 'would delete' : 'deleted'} ${plural(staleManifests.length, 'manifest')} of versions no longer kept` : '') +
        (report.renders.length > 0 ? `; ${dryRun ? 'would delete' : 'deleted'} ${plural(report.renders.length, 'render')} of ${plural(otherRenderers.length, 'other renderer')}` : ''),
    )
    if (dryRun) for (const key of doomed) out.info(`  ${key}`)
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
