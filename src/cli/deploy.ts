import { dirname, resolve } from 'node:path'
import { STORED_FORM } from '../build/form'
import { blobKey, WORKER_FORM_KEY } from '../content/keys'
import { parseHead } from '../content/checked'
import { storedShard } from '../content/stored-shard'
import { RENDERER_VERSION } from '../markdown/version'
import { buildContent } from './build-content'
import { TargetError } from './errors'
import { acquireLock } from './lock'
import { formatBytes, formatElapsed, type Output, plural } from './output'
import { keepMissingRenders } from './keep-renders'
import type { Document } from './renders'
import { postsOfHead, readArchiveShards, readTargetState, type StoredHead, type TargetState } from './state'
import { assertTargetConfig, bytesOf, describeTarget, explain, Kv, localStoreDir, resolveWrangler, runWrangler, type Target } from './wrangler'

// deploy: check that this checkout's Worker reads what the target serves, keep the render of every
// post and page it serves under this checkout's renderer, then `wrangler deploy`. The renders go up
// first, under keys only the new code reads, so the old Worker never sees them, and the new one,
// from its first request, finds every post rendered: no reader waits for Markdown after an upgrade
// that changed the renderer.

export interface DeployOptions {
  contentDir: string
  target: Target
  out: Output
  dryRun?: boolean
}

export async function deploy(options: DeployOptions): Promise<void> {
  const started = Date.now()
  const { target, out } = options
  assertTargetConfig(target)
  const kv = new Kv(target)
  const lock = target.mode === 'local' && !options.dryRun ? await acquireLock(localStoreDir(target), 'deploy') : null
  try {
    out.info(`reading the live head of ${describeTarget(target)}`)
    const state = await readTargetState(kv)
    const read = state.head && state.headText !== null ? await assertCodeReads(kv, state.head, state.headText, target) : new Map<string, string>()
    await keepLiveRenders(kv, state, read, options, started)
  } catch (error) {
    // The target unreadable stops the deploy; a render that fails only costs its first reader time.
    if (error instanceof TargetError) throw error
    out.error(`warning: the renders could not be kept (${(error as Error).message.split('\n')[0]}); the Worker renders each page for its first reader`)
  } finally {
    await lock?.release()
  }
  const deployed = await shipWorker(target, options)
  if (!options.dryRun) await recordWorkerForm(kv, out)
  out.info(`${deployed ? 'deployed' : 'checked the Worker'} in ${formatElapsed(Date.now() - started)}`)
}

/** Records the stored form the Worker now serving reads, for publish to check (a local store's Worker runs this checkout). */
async function recordWorkerForm(kv: Kv, out: Output): Promise<void> {
  try {
    await kv.bulkPut([{ key: WORKER_FORM_KEY, value: String(STORED_FORM) }])
  } catch (error) {
    out.error(
      `warning: the Worker is deployed, but which stored form it reads could not be recorded (${(error as Error).message.split('\n')[0]}); ` +
        'publish cannot check it until the next deploy',
    )
  }
}

/**
 * Keeps the renders the live version's posts and pages lack under this renderer. Their blobs come
 * from content/ where it builds the same ones (the usual case: content/ is what was published),
 * from `read` (blobs read from the target already, by hash), and from the target for the rest.
 */
async function keepLiveRenders(kv: Kv, state: TargetState, read: Map<string, string>, options: DeployOptions, started: number): Promise<void> {
  const { out, target } = options
  const where = describeTarget(target)
  if (!state.head) {
    out.info(`nothing is published in ${where} yet: no renders to keep`)
    return
  }
  if (state.rendersKept) {
    out.info(`every post and page of version ${state.head.version} is kept rendered under this renderer (${RENDERER_VERSION})`)
    return
  }
  const local = new Map([...read, ...(await localBlobs(options.contentDir, started, out))])
  const { documents, blobs } = await liveDocuments(kv, state.head, local)
  const fetched = documents.filter(([, hash]) => !local.has(hash)).length
  if (fetched > 0) out.info(`${plural(fetched, 'post or page', 'posts and pages')} of the live version, not in content/ as published, read from ${where}`)
  const kept = await keepMissingRenders(kv, documents, { blobs }, {
    out,
    where,
    uploadedAt: started,
    dryRun: options.dryRun,
    ifStopped: 'the Worker renders those pages for their first readers. Run deploy (or publish) again to keep the rest.',
  })
  out.info(
    options.dryRun
      ? `dry run: would keep ${plural(kept.count, 'render')} of version ${state.head.version} under renderer ${RENDERER_VERSION}`
      : `kept ${plural(kept.count, 'render')} (${formatBytes(bytesOf(kept.written))}) of version ${state.head.version} under renderer ${RENDERER_VERSION}`,
  )
}

/**
 * Refuses to ship code that cannot read what the target serves: a head or shard in a form only a
 * newer Quire writes (a Worker reads every form older Quires wrote, not newer ones). Such code
 * would answer 503 for every page until the content was published again with its own CLI. Returns
 * the blobs it read, by hash.
 */
async function assertCodeReads(kv: Kv, head: StoredHead, headText: string, target: Target): Promise<Map<string, string>> {
  const newest = head.archive[0]
  const cannot = (what: string, error: unknown) =>
    new TargetError(
      `this checkout's Worker cannot read ${what} of the live version ${head.version} (${(error as Error).message.split('\n')[0]}), ` +
        'most likely because a newer Quire published it; deploying this code would make every page unavailable. ' +
        `Publish with this checkout first (\`npm run quire -- publish --${target.mode}\`: the live Worker reads what an older Quire writes), then deploy.`,
    )
  try {
    // Every label's refs too: the Worker checks each one only when a label's page asks for it.
    for (const label of parseHead(headText).labels) void label.shards
  } catch (error) {
    throw cannot('the head', error)
  }
  if (!newest) return new Map()
  const text = (await kv.bulkGet([blobKey(newest.hash)])).get(blobKey(newest.hash))
  if (text == null) throw notInTarget(head, newest.hash)
  try {
    storedShard(text, blobKey(newest.hash)).posts()
  } catch (error) {
    throw cannot("the archive's newest shard", error)
  }
  return new Map([[newest.hash, text]])
}

const notInTarget = (head: StoredHead, hash: string): TargetError =>
  new TargetError(`the live head ${head.version} names ${blobKey(hash)}, which the target does not have`)

/** The blobs content/ builds, by hash; none when it does not build (the target has them all). */
async function localBlobs(contentDir: string, now: number, out: Output): Promise<Map<string, string>> {
  const dir = resolve(contentDir)
  try {
    const { build, problems } = await buildContent(dir, dirname(dir), { now })
    if (build) return build.blobs
    out.info(`${contentDir} does not build (${plural(problems.length, 'problem')}): every post is read from the target`)
  } catch (error) {
    out.info(`${contentDir} does not build (${(error as Error).message.split('\n')[0]}): every post is read from the target`)
  }
  return new Map()
}

/** The live version's posts and pages, with every blob's text: from `local` where it has it, read from the target otherwise. */
async function liveDocuments(kv: Kv, head: StoredHead, local: Map<string, string>): Promise<{ documents: Document[]; blobs: Map<string, string> }> {
  // postsOfHead names any shard the target lacks.
  const { shards } = await readArchiveShards(kv, [head], local)
  const documents: Document[] = [
    ...[...postsOfHead(head, shards).values()].map((post): Document => ['post', post.hash]),
    ...head.pages.map((page): Document => ['page', page.hash]),
  ]
  const blobs = new Map<string, string>()
  const wanted: string[] = []
  for (const [, hash] of documents) {
    const text = local.get(hash)
    if (text === undefined) wanted.push(hash)
    else blobs.set(hash, text)
  }
  if (wanted.length > 0) {
    const values = await kv.bulkGet(wanted.map(blobKey))
    for (const hash of wanted) {
      const text = values.get(blobKey(hash))
      if (text == null) throw notInTarget(head, hash)
      blobs.set(hash, text)
    }
  }
  return { documents, blobs }
}

/**
 * `wrangler deploy`, its lines passed on as it prints them. To a local store there is nothing to
 * deploy (`npm start` and `wrangler dev` run this checkout): the Worker is bundled and checked as a
 * deploy would, with `--dry-run`, as it is on a dry run.
 */
async function shipWorker(target: Target, options: DeployOptions): Promise<boolean> {
  const { out } = options
  const real = target.mode === 'remote' && !options.dryRun
  const flags = [...(real ? [] : ['--dry-run']), ...(target.env ? ['--env', target.env] : []), ...(target.config ? ['--config', target.config] : [])]
  out.info(`${real ? 'deploying the Worker' : 'bundling the Worker without deploying it'}: wrangler ${['deploy', ...flags].join(' ')}`)
  await runWrangler(resolveWrangler(), ['deploy'], flags, {
    onLine: (line) => {
      const said = explain(line)
      if (said) out.info(`  ${said}`)
    },
  })
  return real
}
