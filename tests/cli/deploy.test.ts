import { readFile, writeFile } from 'node:fs/promises'
import { decodeHead } from '../../src/content/head-text'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { STORED_FORM } from '../../src/build/form'
import { rendersKeptKey, WORKER_FORM_KEY } from '../../src/content/keys'
import { RENDERER_VERSION } from '../../src/markdown/version'
import { copyContent, copyStore, editFile, kvDelete, kvGet, kvList, kvPut, type Listed, quire, ROOT, tempDir } from './helpers'

// `quire deploy` keeps the live posts' renders under this checkout's renderer before the code
// ships. A store that lacks them is what an upgrade that changed the renderer finds: the renders
// the target holds were made by another renderer, under other keys.

const INTERNALS = 'posts/2026/03/how-django-works-internally.md'

let baseline: { store: string; renders: Listed[] }

beforeAll(async () => {
  const dir = await tempDir()
  const store = join(dir, 'store')
  const publish = await quire(['publish', '--local', '--persist-to', store])
  if (publish.code !== 0) throw new Error(`the first publish failed:\n${publish.stdout}\n${publish.stderr}`)
  baseline = { store, renders: await kvList(store, 'render:') }
}, 300_000)

/** A copy of the published store without a render under this renderer, and of the sample content. */
async function upgraded(): Promise<{ dir: string; store: string; content: string }> {
  const dir = await tempDir()
  const store = await copyStore(baseline.store, dir)
  await kvDelete(store, [rendersKeptKey(RENDERER_VERSION), ...baseline.renders.map((key) => key.name)])
  return { dir, store, content: await copyContent(dir) }
}

const deployTo = (store: string, content: string, ...more: string[]) => quire(['deploy', '--local', '--persist-to', store, '--content', content, ...more])

describe.concurrent('deploy --local', () => {
  it("keeps the render of every live post and page this renderer lacks, the live version's even where content/ has changed, then bundles the Worker", async () => {
    const { store, content } = await upgraded()
    expect(await kvList(store, 'render:')).toEqual([])
    // An edit not yet published: the live post is the one to keep rendered.
    await editFile(join(content, INTERNALS), (text) => text.replace('Ask most Django developers', 'Ask nearly every Django developer'))

    const dryRun = await deployTo(store, content, '--dry-run')
    expect(dryRun.code).toBe(0)
    expect(dryRun.stdout).toContain(`dry run: would keep ${baseline.renders.length} renders of version `)
    expect(dryRun.stdout).toContain('--dry-run: exiting now.')
    expect(await kvList(store, 'render:')).toEqual([])

    const deployed = await deployTo(store, content)
    expect(deployed.stderr).toBe('')
    expect(deployed.code).toBe(0)
    expect(deployed.stdout).toContain('1 post or page of the live version, not in content/ as published, read from the local store')
    expect(deployed.stdout).toMatch(new RegExp(`^kept ${baseline.renders.length} renders \\(\\d+\\.\\d kB\\) of version [0-9a-f]{16} under renderer ${RENDERER_VERSION}$`, 'm'))
    expect(deployed.stdout).toContain('bundling the Worker without deploying it: wrangler deploy --dry-run\n')
    expect(deployed.stdout).toMatch(/^ {2}Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB$/m)
    expect(deployed.stdout).toMatch(/^checked the Worker in \d/m)

    const kept = await kvList(store, 'render:')
    expect(kept.map((key) => key.name)).toEqual(baseline.renders.map((key) => key.name))
    for (const key of kept) expect(key.metadata?.uploadedAt, key.name).toBeGreaterThan(Date.now() - 600_000)
    expect((await kvList(store, 'renders-kept:')).map((key) => key.name)).toEqual([rendersKeptKey(RENDERER_VERSION)])
    expect((await kvGet(store, [WORKER_FORM_KEY])).get(WORKER_FORM_KEY)).toBe(String(STORED_FORM))
    // The edited post's render is the live blob's: the same bytes the publish kept
    // (publish.test.ts holds those to the Worker's).
    const values = await kvGet(baseline.store, kept.map((key) => key.name))
    const now = await kvGet(store, kept.map((key) => key.name))
    for (const key of kept) expect(now.get(key.name), key.name).toBe(values.get(key.name))

    // Kept once: deploying again writes nothing.
    const again = await deployTo(store, content)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^every post and page of version [0-9a-f]{16} is kept rendered under this renderer/m)
    expect(await kvList(store, 'render:')).toEqual(kept)
  }, 300_000)

  it('keeps the renders from the target alone when content/ does not build', async () => {
    const { dir, store } = await upgraded()
    const deployed = await deployTo(store, join(dir, 'no-such-content'))
    expect(deployed.code).toBe(0)
    expect(deployed.stdout).toContain('does not build (there is no content directory at ')
    expect(deployed.stdout).toContain(`${baseline.renders.length} posts and pages of the live version, not in content/ as published, read from`)
    const kept = await kvList(store, 'render:')
    expect(kept.map((key) => key.name)).toEqual(baseline.renders.map((key) => key.name))
    const before = await kvGet(baseline.store, kept.map((key) => key.name))
    const now = await kvGet(store, kept.map((key) => key.name))
    for (const key of kept) expect(now.get(key.name), key.name).toBe(before.get(key.name))
  }, 300_000)

  it('warns and deploys all the same when a live post will not render', async () => {
    const { dir, store } = await upgraded()
    const [broken] = (await kvList(store, 'blob:')).filter((key) => baseline.renders.some((render) => render.name.endsWith(key.name.slice('blob:'.length))))
    await kvPut(store, [{ key: broken?.name ?? '', value: '{"not":"a post"}' }])
    const deployed = await deployTo(store, join(dir, 'no-such-content'))
    expect(deployed.code).toBe(0)
    expect(deployed.stderr).toMatch(/^warning: the renders could not be kept \(.+\); the Worker renders each page for its first reader\n$/)
    expect(deployed.stdout).toContain('--dry-run: exiting now.')
    expect(await kvList(store, 'renders-kept:')).toEqual([])
  }, 300_000)

  it('refuses, writing and deploying nothing, to ship code that cannot read the live head or shards a newer Quire wrote (exit 2)', async () => {
    const { store, content } = await upgraded()
    const head = (await kvGet(store, ['head'])).get('head') ?? ''
    const refused = /^error: this checkout's Worker cannot read (.+) of the live version [0-9a-f]{16} \((.+)\), most likely because a newer Quire published it; deploying this code would make every page unavailable\. Publish with this checkout first \(`npm run quire -- publish --local`: the live Worker reads what an older Quire writes\), then deploy\.\n$/

    await kvPut(store, [{ key: 'head', value: head.replace('"schema":1', '"schema":2') }])
    const newerHead = await deployTo(store, content)
    expect(newerHead.code).toBe(2)
    expect(refused.exec(newerHead.stderr)?.slice(1)).toEqual(['the head', 'KV value "head" does not match its schema at schema: Invalid type: Expected 1 but received 2'])
    expect(newerHead.stdout).not.toContain('wrangler deploy')

    const newest = `blob:${(decodeHead(head) as { archive: { hash: string }[] }).archive[0]?.hash}`
    await kvPut(store, [{ key: 'head', value: head }, { key: newest, value: 'shard 2\n{"older":null,"newer":null}' }])
    const newerShard = await deployTo(store, content)
    expect(newerShard.code).toBe(2)
    expect(refused.exec(newerShard.stderr)?.[1]).toBe("the archive's newest shard")
    expect(newerShard.stdout).not.toContain('wrangler deploy')
    expect(await kvList(store, 'render:')).toEqual([])
    expect(await kvList(store, 'renders-kept:')).toEqual([])
  }, 300_000)

  it('lets no publish write a newer stored form than the deployed Worker reads, until this checkout is deployed', async () => {
    const { store, content } = await upgraded()
    const head = (await kvGet(store, ['head'])).get('head')
    const blobs = await kvList(store, 'blob:')
    await kvPut(store, [{ key: WORKER_FORM_KEY, value: String(STORED_FORM - 1) }])
    await editFile(join(content, INTERNALS), (text) => text.replace('Ask most Django developers', 'Ask nearly every Django developer'))

    const refused = await quire(['publish', '--local', '--persist-to', store, '--content', content])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toBe(
      `error: the Worker deployed for the local store in ${store} reads stored form ${STORED_FORM - 1}, and this publish writes form ${STORED_FORM}, ` +
        'which it may not read: deploy this checkout first (`npm run quire -- deploy --local`), then publish. Nothing was uploaded; the live site is as it was.\n',
    )
    expect((await kvGet(store, ['head'])).get('head')).toBe(head)
    expect(await kvList(store, 'blob:')).toEqual(blobs)

    expect((await deployTo(store, content)).code).toBe(0)
    const published = await quire(['publish', '--local', '--persist-to', store, '--content', content])
    expect(published.code).toBe(0)
    expect((await kvGet(store, ['head'])).get('head')).not.toBe(head)
  }, 300_000)

  it('has no renders to keep before the first publish, and bundles the Worker all the same', async () => {
    const dir = await tempDir()
    const deployed = await deployTo(join(dir, 'store'), join(ROOT, 'content'))
    expect(deployed.code).toBe(0)
    expect(deployed.stdout).toContain('nothing is published in the local store in ')
    expect(deployed.stdout).toContain('--dry-run: exiting now.')
  })

  it('fails with exit 2 and what wrangler said when the Worker does not bundle, after keeping the renders', async () => {
    const { dir, store, content } = await upgraded()
    const config = join(dir, 'wrangler.jsonc')
    const text = await readFile(join(ROOT, 'wrangler.jsonc'), 'utf8')
    await writeFile(config, text.replace(/"main": "[^"]*"/, `"main": "${join(ROOT, 'src', 'no-such-worker.ts')}"`))
    const deployed = await deployTo(store, content, '--config', config)
    expect(deployed.code).toBe(2)
    expect(deployed.stderr).toMatch(/^error: wrangler deploy exited with 1:\n/)
    expect(deployed.stderr).toContain('no-such-worker.ts')
    expect(deployed.stderr).not.toMatch(/^\s+at /m)
    expect((await kvList(store, 'render:')).map((key) => key.name)).toEqual(baseline.renders.map((key) => key.name))
  }, 300_000)

  it('refuses the placeholder namespace id before calling wrangler (exit 2)', async () => {
    const result = await quire(['deploy', '--remote'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error: wrangler.jsonc still has the placeholder id for the CONTENT namespace/)
  })
})
