import { hashOfBlobKey } from '../content/keys'
import { TargetError, UsageError } from './errors'
import { acquireLock } from './lock'
import { formatElapsed, type Output, plural } from './output'
import { MANIFEST_PREFIX, readManifests, readTargetState, versionOfManifestKey } from './state'
import { assertTargetConfig, BULK_MAX_KEYS, describeTarget, Kv, type ListedKey, localStoreDir, type Target } from './wrangler'

// prune: deletes blobs that no kept version's manifest names, and the manifests of versions no
// longer kept (a kept version's manifest stays: it may hold the head a rollback writes back). Anything younger than the grace period is spared even so: a publish may have
// uploaded it and not yet written the head that names it, and a data center may still serve a
// head from a minute ago.

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
    const report: PruneReport = {
      kept: blobs.length - unused.length,
      deleted: unused.filter(old).map((key) => key.name),
      sparedYoung: unused.filter((key) => !old(key)).length,
    }
    const doomed = [...report.deleted, ...staleManifests.map((key) => key.name)]
    if (!dryRun) {
      for (let i = 0; i < doomed.length; i += BULK_MAX_KEYS) await kv.bulkDelete(doomed.slice(i, i + BULK_MAX_KEYS))
    }
    const grace = formatElapsed(olderThanMs)
    out.info(
      `${dryRun ? 'dry run: would delete' : 'deleted'} ${plural(report.deleted.length, 'unused blob')} from ${where}; ` +
        `kept ${plural(report.kept, 'blob')} named by ${plural(kept.length, 'kept version')}` +
        (report.sparedYoung > 0 ? ` and ${report.sparedYoung} unused but younger than ${grace}` : '') +
        (staleManifests.length > 0 ? `; ${dryRun ? 'would delete' : 'deleted'} ${plural(staleManifests.length, 'manifest')} of versions no longer kept` : ''),
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
