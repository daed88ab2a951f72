import { type Build, blobEntries } from '../build/build'
import { STORED_FORM } from '../build/form'
import { HEAD_KEY, HISTORY_KEY, hashOfBlobKey } from '../content/keys'
import type { RenderedMarkdown } from '../markdown/render'
import { checkContent } from './check'
import { type KeptRenders, keepMissingRenders, NOTHING_KEPT } from './keep-renders'
import { documentsOf, renderEntries } from './renders'
import { TargetError } from './errors'
import { acquireLock } from './lock'
import { formatBytes, formatElapsed, type Output, plural } from './output'
import { uploadProgress } from './progress'
import { type Manifest, manifestKey, parseHead, pushHistory, readManifests, readTargetState, replacedHead, serializeManifest, type TargetState } from './state'
import { assertTargetConfig, bytesOf, chunkForBulkPut, describeTarget, Kv, type KvEntry, localStoreDir, type Target } from './wrangler'

// publish: check, build, find what the target lacks, upload it, read some of it back, then switch
// `head`. Until that last write the target serves the previous version whole, so a publish that
// dies anywhere before it changes nothing a reader sees, and running it again completes it.

/**
 * What a long-running publisher (`npm start`) remembers between publishes, to spare wrangler calls:
 * the manifests of the versions it published (each with its head, as it wrote them), and the
 * target's state as it left it. The state is only assumed: it is checked against `head` before
 * `head` moves, and read afresh if it was wrong.
 */
export interface PublishMemory {
  manifests: Map<string, Manifest>
  last?: TargetState
}

export interface PublishOptions {
  contentDir: string
  target: Target
  out: Output
  dryRun?: boolean
  drafts?: boolean
  renderBudgetMs?: number
  memory?: PublishMemory
  /** The Worker serving the target runs this checkout (`npm start`): it reads what this publishes, whatever `worker-form` says. */
  servedByThisCode?: boolean
}

export interface PublishSummary {
  outcome: 'published' | 'up to date' | 'dry run'
  version: string
  previous: string | null
  posts: number
  scheduled: number
  pages: number
  newBlobs: number
  /** Bytes of the new blobs' values. */
  bytes: number
  /** Renders kept (or, on a dry run, to keep), and their bytes (none counted on a dry run). */
  renders: number
  renderBytes: number
  /** Renders this renderer still lacks because keeping them failed: the next publish keeps them. */
  rendersMissing: number
  headBytes: number
  /** Every key written (blobs, renders, the renders-kept mark, manifest, history, head), and their values' bytes. */
  keysWritten: number
  writtenBytes: number
  elapsedMs: number
}

const STOPPED_KEEPING =
  'the new version is live all the same, and its readers get those pages rendered by the Worker. Run publish again to keep the rest.'

/** New blobs read back before `head` moves: all of a small publish, a spread of a large one. */
const VERIFY_SAMPLE = 100

export async function publish(options: PublishOptions): Promise<PublishSummary> {
  const started = Date.now()
  const { target, out } = options
  const { build, renders } = await checkContent(options.contentDir, { drafts: options.drafts, now: started, renderBudgetMs: options.renderBudgetMs })
  assertTargetConfig(target)
  const kv = new Kv(target)
  const lock = target.mode === 'local' && !options.dryRun ? await acquireLock(localStoreDir(target), 'publish') : null
  try {
    let summary: PublishSummary
    try {
      summary = await publishBuild(kv, build, renders, options, started)
    } catch (error) {
      const assumed = options.memory?.last
      if (options.memory) options.memory.last = undefined
      if (!(error instanceof HeadMovedError && assumed)) throw error
      out.info('the target changed since the last publish from here; reading it again')
      summary = await publishBuild(kv, build, renders, options, started)
    }
    printSummary(out, summary, target)
    return summary
  } finally {
    await lock?.release()
  }
}

async function publishBuild(kv: Kv, build: Build, known: Map<string, RenderedMarkdown>, options: PublishOptions, started: number): Promise<PublishSummary> {
  const { out, target } = options
  const where = describeTarget(target)
  let state = options.memory?.last
  // "Up to date" changes nothing, so it is never claimed on an assumption.
  if (state?.head?.version === build.head.version) state = undefined
  if (!state) {
    out.info(`reading the live head of ${where}`)
    state = await readTargetState(kv)
  }
  const previous = state.head?.version ?? null
  const summary = (outcome: PublishSummary['outcome'], fresh: KvEntry[], kept: KeptRenders, written: KvEntry[] = []): PublishSummary => ({
    outcome,
    version: build.head.version,
    previous,
    posts: build.posts.length,
    scheduled: build.head.scheduled.length,
    pages: build.head.pages.length,
    newBlobs: fresh.length,
    bytes: bytesOf(fresh),
    renders: kept.count,
    renderBytes: bytesOf(kept.written),
    rendersMissing: kept.missing,
    headBytes: Buffer.byteLength(build.headJson),
    keysWritten: written.length,
    writtenBytes: bytesOf(written),
    elapsedMs: Date.now() - started,
  })
  // A publish keeps the renders of its new posts and pages. When no publish kept every render under
  // this renderer (the first, or the first after an upgrade that changed it), it then keeps those
  // the target lacks, after `head`: the content is live even if a write limit stops them.
  const keepRest = !state.rendersKept
  const rest = (rendered: Set<string>) =>
    keepRest
      ? keepMissingRenders(
          kv,
          documentsOf(build).filter(([, hash]) => !rendered.has(hash)),
          build,
          { out, where, uploadedAt: started, dryRun: options.dryRun, known, ifStopped: STOPPED_KEEPING },
        )
      : Promise.resolve(NOTHING_KEPT)
  if (previous === build.head.version) {
    const kept = await rest(new Set())
    if (options.memory && kept.missing === 0 && !options.dryRun) options.memory.last = { ...state, rendersKept: true }
    // Nothing to keep is up to date, dry run or not.
    return summary(options.dryRun && keepRest ? 'dry run' : 'up to date', [], kept, kept.written)
  }

  if (!options.servedByThisCode) assertWorkerReads(state.workerForm, target)
  const live = await liveManifest(kv, state, options.memory, out)
  const present = live?.blobs ?? new Set<string>()
  // Each blob records when it was uploaded, so prune can spare blobs a publish still in flight needs.
  const fresh: KvEntry[] = blobEntries(build)
    .filter((entry) => !present.has(hashOfBlobKey(entry.key)))
    .map((entry) => ({ ...entry, metadata: { uploadedAt: started } }))
  // The new posts' and pages' renders go up with their blobs; `rest` skips them.
  const freshHashes = new Set(fresh.map((entry) => hashOfBlobKey(entry.key)))
  const newDocuments = documentsOf(build, freshHashes)
  if (options.dryRun) {
    const kept = await rest(freshHashes)
    return summary('dry run', fresh, { ...kept, count: kept.count + newDocuments.length })
  }

  const renders = renderEntries(build, newDocuments, started, known)
  const manifest = { key: manifestKey(build.head.version), value: serializeManifest(build.headJson, build.blobs.keys()), metadata: { uploadedAt: started } }
  const entries = [...fresh, ...renders, manifest]
  let history = state.history
  if (state.head && state.headText !== null) {
    // The history goes up before `head` moves: if we die in between, it lists the live head too,
    // which is harmless, and the next publish does not list it twice.
    history = pushHistory(state.history, replacedHead(state.head, state.headText, live), Date.now())
    entries.push({ key: HISTORY_KEY, value: JSON.stringify(history) })
  }
  const chunks = chunkForBulkPut(entries)
  const totalBytes = bytesOf(entries)
  out.info(`uploading ${plural(fresh.length, 'new blob')} and ${plural(renders.length, 'render')} (${formatBytes(totalBytes)}) to ${where}`)
  await uploadChunks(kv, chunks, entries.length, totalBytes, out)

  out.info(`reading back ${plural(Math.min(fresh.length, VERIFY_SAMPLE), 'new blob')}`)
  await verifyBeforeSwitching(kv, fresh, state, where)
  out.info(`switching head to ${build.head.version}`)
  const head = { key: HEAD_KEY, value: build.headJson }
  await kv.bulkPut([head])
  const kept = await rest(freshHashes)
  if (options.memory) {
    options.memory.manifests.set(build.head.version, { blobs: new Set(build.blobs.keys()), head: build.headJson })
    options.memory.last = {
      headText: build.headJson,
      head: parseHead(build.headJson, HEAD_KEY),
      history,
      rendersKept: !keepRest || kept.missing === 0,
      workerForm: state.workerForm,
    }
  }
  const allRenders = { count: renders.length + kept.count, written: [...renders, ...kept.written], missing: kept.missing }
  return summary('published', fresh, allRenders, [...entries, head, ...kept.written])
}

async function uploadChunks(kv: Kv, chunks: KvEntry[][], count: number, bytes: number, out: Output): Promise<void> {
  const progress = uploadProgress(out, chunks.length, count, bytes)
  try {
    for (const [index, chunk] of chunks.entries()) {
      progress.chunkStarted(index, chunk.length, bytesOf(chunk))
      await kv.bulkPut(chunk, { onLine: (line) => progress.wranglerSaid(line) })
      progress.chunkDone()
    }
  } finally {
    progress.stop()
  }
}

/**
 * The live version's manifest: whether it holds the live head's bytes (so the history need not),
 * and its blobs, which are those the target already holds. Every blob a live head names is there
 * (`head` is written only after its blobs, and prune never deletes a blob a kept version names),
 * so reusing them stays safe while a prune runs, whereas a listed blob that no head names may be
 * pruned before our `head` lands; and one read costs less than a key listing, which locally stops
 * at 1,000 keys. The cost: blobs left by an interrupted publish, or named only by older versions,
 * are uploaded again.
 */
async function liveManifest(kv: Kv, state: TargetState, memory: PublishMemory | undefined, out: Output): Promise<Manifest | null> {
  if (!state.head) return null
  const remembered = memory?.manifests.get(state.head.version)
  if (remembered) return remembered
  const manifest = (await readManifests(kv, [state.head.version])).get(state.head.version)
  if (manifest) return manifest
  out.error(`warning: the live version ${state.head.version} has no manifest (it was not written by quire publish); every blob is uploaded`)
  return null
}

/**
 * Reads back new blobs before `head` names them, and re-reads `head` in the same call: if it moved
 * since we read it, another publish or rollback ran meanwhile, and we refuse to overwrite it.
 */
async function verifyBeforeSwitching(kv: Kv, fresh: KvEntry[], state: TargetState, where: string): Promise<void> {
  const sample = spread(fresh, VERIFY_SAMPLE)
  const values = await kv.bulkGet([...sample.map((entry) => entry.key), HEAD_KEY])
  // Bytes come back from wrangler as text of their own: that they are there is what can be checked.
  const unreadable = sample.filter((entry) => (entry.base64 ? (values.get(entry.key) ?? null) === null : values.get(entry.key) !== entry.value))
  const unchanged = `head still names ${state.head?.version ?? 'nothing'}, so readers see no change; run publish again`
  if (unreadable.length > 0) {
    throw new TargetError(
      `${unreadable.length} of ${plural(sample.length, 'new blob')} read back from ${where} did not match what was uploaded ` +
        `(first: ${unreadable[0]?.key}); ${unchanged}`,
    )
  }
  const headNow = values.get(HEAD_KEY) ?? null
  if (headNow !== state.headText) {
    const versionNow = headNow === null ? 'nothing' : (/"version":"([^"]*)"/.exec(headNow)?.[1] ?? 'an unknown version')
    throw new HeadMovedError(
      `the head of ${where} changed while this publish was uploading (from ${state.head?.version ?? 'nothing'} to ${versionNow}): ` +
        'another publish or rollback ran at the same time. This publish did not switch head; run it again to publish on top of the other.',
    )
  }
}

/**
 * Refuses to publish a form the deployed Worker may not read (src/build/form.ts): the blog would
 * answer 503 until the new code was deployed. Without a record (code shipped by plain `wrangler
 * deploy`, or never deployed by this Quire) it trusts the docs' rule, deploy before publishing.
 */
function assertWorkerReads(workerForm: number | null, target: Target): void {
  if (workerForm === null || workerForm >= STORED_FORM) return
  const deployFirst = target.mode === 'remote' ? '`npm run deploy`' : '`npm run quire -- deploy --local`'
  throw new TargetError(
    `the Worker deployed for ${describeTarget(target)} reads stored form ${workerForm}, and this publish writes form ${STORED_FORM}, which it may not read: ` +
      `deploy this checkout first (${deployFirst}), then publish. Nothing was uploaded; the live site is as it was.`,
  )
}

/** `head` is not what this publish read (or assumed) at its start: it refuses to overwrite it. */
class HeadMovedError extends TargetError {}

/** Up to `count` items spread evenly over `items`, first and last included. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items
  const step = (items.length - 1) / (count - 1)
  return Array.from({ length: count }, (_, i) => items[Math.round(i * step)] as T)
}

export function printSummary(out: Output, summary: PublishSummary, target: Target): void {
  const where = describeTarget(target)
  const posts = `${summary.posts}${summary.scheduled > 0 ? ` (${summary.scheduled} scheduled)` : ''}`
  if (summary.outcome === 'up to date') {
    const uploaded = summary.renders > 0 ? `only the renders, ${formatBytes(summary.renderBytes)}, uploaded` : 'nothing uploaded'
    out.info(`up to date: ${where} already serves version ${summary.version} (${plural(summary.posts, 'post')}, ${plural(summary.pages, 'page')}); ${uploaded}`)
    if (summary.keysWritten > 0) out.info(`  ${keysWrittenLine(summary)}`)
    return
  }
  out.info(
    summary.outcome === 'dry run'
      ? `dry run: would publish version ${summary.version} to ${where}; nothing was written`
      : `published version ${summary.version} to ${where}`,
  )
  out.info(`  posts:      ${posts}`)
  out.info(`  pages:      ${summary.pages}`)
  out.info(`  new blobs:  ${summary.newBlobs} (${formatBytes(summary.bytes)})`)
  const missing = summary.rendersMissing > 0 ? `; ${summary.rendersMissing} not kept, for the next publish` : ''
  out.info(`  renders:    ${summary.renders}${summary.outcome === 'dry run' ? '' : ` (${formatBytes(summary.renderBytes)})`}${missing}`)
  out.info(`  head:       ${formatBytes(summary.headBytes)}`)
  if (summary.outcome !== 'dry run') out.info(`  ${keysWrittenLine(summary)}`)
  out.info(`  version:    ${summary.version}`)
  out.info(`  previous:   ${summary.previous ?? 'none (first publish)'}`)
  out.info(`  elapsed:    ${formatElapsed(summary.elapsedMs)}`)
}

// bench/p4-build.ts reads this line: keep its form.
const keysWrittenLine = (summary: PublishSummary): string => `keys written: ${summary.keysWritten} (${formatBytes(summary.writtenBytes)})`
