import { decodeHead } from '../../src/content/head-text'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { formatBytes } from '../../src/cli/output'
import { renderKey, rendersKeptKey } from '../../src/content/keys'
import { renderToKeep } from '../../src/content/kept-render'
import { renderMarkdown } from '../../src/markdown/render'
import { RENDERER_VERSION } from '../../src/markdown/version'
import { type CliResult, copyContent, ROOT, copyStore, editFile, kvDelete, kvGet, kvList, type Listed, quire, tempDir } from './helpers'

// Every test starts from its own copy of one store that holds the published sample content.

const INTERNALS = 'posts/2026/03/how-django-works-internally.md'
const INTERNALS_URL = '/2026/03/how-django-works-internally.html'

let baseline: { store: string; head: string; blobs: Listed[]; publish: CliResult }

beforeAll(async () => {
  const dir = await tempDir()
  const store = join(dir, 'store')
  const publish = await quire(['publish', '--local', '--persist-to', store])
  if (publish.code !== 0) throw new Error(`the first publish failed:\n${publish.stdout}\n${publish.stderr}`)
  const head = (await kvGet(store, ['head'])).get('head')
  if (!head) throw new Error('the first publish wrote no head')
  baseline = { store, head, blobs: await kvList(store, 'blob:'), publish }
}, 300_000)

/** A fresh copy of the published store and of the sample content. */
async function workspace(): Promise<{ dir: string; store: string; content: string }> {
  const dir = await tempDir()
  return { dir, store: await copyStore(baseline.store, dir), content: await copyContent(dir) }
}

const publishTo = (store: string, content: string, ...more: string[]) =>
  quire(['publish', '--local', '--persist-to', store, '--content', content, ...more])

async function readHeadAndShards(store: string): Promise<{ head: string; shards: string[] }> {
  const head = (await kvGet(store, ['head'])).get('head') ?? ''
  const parsed = decodeHead(head) as { archive: { hash: string }[]; labels: { shards: { hash: string }[] }[] }
  const keys = [...parsed.archive.map((r) => r.hash), ...parsed.labels.flatMap((l) => l.shards.map((r) => r.hash))].map((h) => `blob:${h}`)
  const values = await kvGet(store, keys)
  return { head, shards: keys.map((key) => values.get(key) ?? '') }
}

describe.concurrent('publish --local', () => {
  it('uploads every blob the first time and ends with a summary', async () => {
    const { stdout, stderr } = baseline.publish
    expect(stderr).toBe('')
    expect(stdout).toMatch(/^published version [0-9a-f]{16} to the local store in /m)
    expect(stdout).toContain('  posts:      14 (1 scheduled)\n')
    expect(stdout).toContain('  pages:      1\n')
    const sample = await buildSite(await readContentFiles(join(ROOT, 'content')), { now: Date.now() })
    expect(stdout).toMatch(new RegExp(`^ {2}new blobs: {2}${sample.blobs.size} \\(\\d+\\.\\d kB\\)$`, 'm'))
    // Every blob and its render, the mark that renders are kept, the manifest and head; no history yet.
    const keys = sample.blobs.size + sample.posts.length + sample.head.pages.length + 3
    expect(stdout).toMatch(new RegExp(`^ {2}keys written: ${keys} \\(\\d+\\.\\d kB\\)$`, 'm'))
    expect(stdout).toContain('  previous:   none (first publish)\n')
    expect(stdout).toMatch(/^ {2}elapsed: {4}\d+\.\d s$/m)
    expect(baseline.blobs.map((key) => key.name).sort()).toEqual([...sample.blobs.keys()].map((hash) => `blob:${hash}`).sort())
    expect(JSON.parse(baseline.head).version).toBe(/version: {4}([0-9a-f]{16})/.exec(stdout)?.[1])
  })

  it('keeps the render of every post and page it uploads, dated for prune and with no lifetime', async () => {
    const sample = await buildSite(await readContentFiles(join(ROOT, 'content')), { now: Date.now() })
    const documents: ['post' | 'page', string][] = [
      ...sample.posts.map((post) => ['post', post.hash] as ['post', string]),
      ...sample.head.pages.map((page) => ['page', page.hash] as ['page', string]),
    ]
    expect(baseline.publish.stdout).toMatch(new RegExp(`^ {2}renders: {4}${documents.length} \\(\\d+\\.\\d kB\\)$`, 'm'))
    const listed = (await kvList(baseline.store, 'render:')) as (Listed & { expiration?: number })[]
    expect(listed.map((key) => key.name).sort()).toEqual(documents.map(([, hash]) => renderKey(RENDERER_VERSION, hash)).sort())
    for (const key of listed) {
      expect(key.expiration, key.name).toBeUndefined()
      expect(key.metadata?.uploadedAt, key.name).toBeGreaterThan(Date.now() - 600_000)
    }
    // The same bytes the Worker would keep (tests/worker/render-cache.test.ts compares the two).
    const [kind, hash] = documents[0] as ['post', string]
    const expected = renderToKeep(kind, hash, sample.blobs.get(hash) ?? '', renderMarkdown)
    expect((await kvGet(baseline.store, [expected.key])).get(expected.key)).toBe(expected.value)
  })

  it('keeps every render again, and leaves head alone, when no publish kept them for this renderer', async () => {
    // What a store looks like after a deploy that changed the renderer: no mark that every render
    // is kept under it, and a render missing.
    const marks = (await kvList(baseline.store, 'renders-kept:')) as (Listed & { expiration?: number })[]
    expect(marks.map((key) => key.name)).toEqual([rendersKeptKey(RENDERER_VERSION)])
    expect(marks[0]?.expiration).toBeUndefined()
    const { store, content } = await workspace()
    const renders = await kvList(store, 'render:')
    const gone = renders[0]?.name ?? ''
    await kvDelete(store, [rendersKeptKey(RENDERER_VERSION), gone])
    // Only the render the store lacks: a publish stopped part way resumes where it stopped.
    const dryRun = await publishTo(store, content, '--dry-run')
    expect(dryRun.stdout).toContain('  new blobs:  0 (0 B)\n')
    expect(dryRun.stdout).toContain('  renders:    1\n')
    expect((await kvList(store, 'render:')).map((key) => key.name)).not.toContain(gone)
    const again = await publishTo(store, content)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^up to date: .* already serves version [0-9a-f]{16} .*; only the renders, \d+\.\d kB, uploaded$/m)
    expect(again.stdout).toContain('  keys written: 2 (')
    expect((await kvList(store, 'render:')).map((key) => key.name)).toEqual(renders.map((key) => key.name))
    expect((await kvGet(store, ['head'])).get('head')).toBe(baseline.head)
    expect((await kvList(store, 'renders-kept:')).map((key) => key.name)).toEqual([rendersKeptKey(RENDERER_VERSION)])
    // And once they are kept, the same publish has nothing to do.
    const third = await publishTo(store, content)
    expect(third.stdout).toMatch(/; nothing uploaded$/m)
  }, 300_000)

  it('publishing the same content again uploads nothing and leaves head untouched', async () => {
    const { store, content } = await workspace()
    const again = await publishTo(store, content)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^up to date: .* already serves version [0-9a-f]{16} \(14 posts, 1 page\); nothing uploaded$/m)
    expect((await kvGet(store, ['head'])).get('head')).toBe(baseline.head)
    // Same keys with the same upload times: nothing was written again.
    expect(await kvList(store, 'blob:')).toEqual(baseline.blobs)
  }, 300_000)

  it("editing one post's body uploads only that post, its month shard and head, not its labels' shards", async () => {
    const { store, content } = await workspace()
    const keysBefore = await kvList(store, '')
    await editFile(join(content, INTERNALS), (text) => text.replace('Ask most Django developers', 'Ask nearly any Django developer'))
    const published = await publishTo(store, content)
    expect(published.code).toBe(0)

    const build = await buildSite(await readContentFiles(content), { now: Date.now() })
    const post = build.posts.find((p) => p.path === INTERNALS_URL)
    // Its labels' shards list it as before: their lines hold no blob hash of a post that the
    // archive's newest shard (here the only one) holds, and the edit leaves its snippet alone.
    const labels = build.head.labels.filter((l) => ['django', 'backend', 'python'].includes(l.key))
    expect(labels).toHaveLength(3)
    for (const label of labels) expect(baseline.blobs.map((key) => key.name)).toContain(`blob:${label.shards[0]?.hash}`)
    const expected = [post?.hash, build.head.archive[0]?.hash].map((h) => `blob:${h}`)

    const before = new Map(baseline.blobs.map((key) => [key.name, key.metadata?.uploadedAt]))
    const after = await kvList(store, 'blob:')
    const uploaded = after.filter((key) => before.get(key.name) !== key.metadata?.uploadedAt).map((key) => key.name)
    expect(uploaded.sort()).toEqual(expected.sort())
    expect(published.stdout).toMatch(/^ {2}new blobs: {2}2 \(/m)
    // The edited post's render, and no other.
    expect(published.stdout).toMatch(/^ {2}renders: {4}1 \(/m)
    const rendersAfter = await kvList(store, 'render:')
    expect(rendersAfter.map((key) => key.name)).toContain(renderKey(RENDERER_VERSION, post?.hash ?? ''))
    expect(published.stdout).toContain(`  previous:   ${JSON.parse(baseline.head).version}\n`)
    expect((await kvGet(store, ['head'])).get('head')).toBe(build.headJson)

    // What it says it wrote is what it wrote: the keys new in the store, and head.
    const known = new Set(keysBefore.map((key) => key.name))
    const written = [...(await kvList(store, '')).map((key) => key.name).filter((name) => !known.has(name)), 'head'].sort()
    expect(written).toEqual(
      [...expected, renderKey(RENDERER_VERSION, post?.hash ?? ''), `manifest:${build.head.version}`, 'head:history', 'head'].sort(),
    )
    const values = await kvGet(store, written)
    const bytes = written.reduce((sum, key) => sum + Buffer.byteLength(values.get(key) ?? ''), 0)
    expect(published.stdout).toContain(`  keys written: ${written.length} (${formatBytes(bytes)})\n`)
  }, 300_000)

  it('two publishes at once: the second refuses while the first holds the lock, and head is whole', async () => {
    const { store, content } = await workspace()
    await editFile(join(content, INTERNALS), (text) => text.replace('## Introduction', '## Introduction, revised'))
    const first = publishTo(store, content)
    await waitFor(async () => (await import('node:fs')).existsSync(join(store, 'quire.lock')))
    const second = await publishTo(store, content)
    expect(second.code).toBe(2)
    expect(second.stderr).toMatch(/^error: another quire publish \(pid \d+, started .* ago\) is writing to .*; wait for it to finish/m)
    expect((await first).code).toBe(0)
    const build = await buildSite(await readContentFiles(content), { now: Date.now() })
    expect((await kvGet(store, ['head'])).get('head')).toBe(build.headJson)
  }, 300_000)

  describe('after deleting one post and moving another to another month', () => {
    const deleted = { file: 'posts/2026/08/structured-logging-for-python-services.md', url: '/2026/08/structured-logging-for-python-services.html' }
    const moved = {
      file: 'posts/2025/08/python-idioms-for-code-review.md',
      from: '/2025/08/python-idioms-for-code-review.html',
      to: '/2025/09/python-idioms-for-code-review.html',
    }
    let dryRun: CliResult
    let status: CliResult
    let published: CliResult
    let live: { head: string; shards: string[] }

    beforeAll(async () => {
      const { store, content } = await workspace()
      await rm(join(content, deleted.file))
      await editFile(join(content, moved.file), (text) => text.replace('date: 2025-08-02T11:30:00-04:00', 'date: 2025-09-02T11:30:00-04:00'))
      dryRun = await publishTo(store, content, '--dry-run')
      status = await quire(['status', '--local', '--persist-to', store, '--content', content])
      published = await publishTo(store, content)
      live = await readHeadAndShards(store)
    }, 300_000)

    it('publish --dry-run writes nothing', () => {
      expect(dryRun.code).toBe(0)
      expect(dryRun.stdout).toMatch(/^dry run: would publish version [0-9a-f]{16} .*; nothing was written$/m)
      // status, run after the dry run, still finds the first version live.
      expect(status.stdout).toContain(`serves version ${JSON.parse(baseline.head).version}`)
    })

    it('status lists the removed post and the moved one before publishing', () => {
      expect(status.code).toBe(0)
      expect(status.stdout).toContain(`  removed    ${deleted.url}  Structured Logging for Python Services\n`)
      expect(status.stdout).toContain(`  moved      ${moved.from} → ${moved.to}\n`)
      expect(status.stdout).not.toMatch(/^ {2}(new|changed) /m)
    })

    it('the deleted post disappears from every index', () => {
      expect(published.code).toBe(0)
      expect(live.head).not.toContain(deleted.url)
      const { archive } = decodeHead(live.head) as { archive: { count: number; months: { month: string }[] }[] }
      expect(archive.flatMap((ref) => ref.months.map((m) => m.month))).not.toContain('2026-08')
      for (const shard of live.shards) expect(shard).not.toContain(deleted.url)
      expect(archive[0]?.count).toBe(13)
    })

    it('the moved post moves to its new month', () => {
      const months = (decodeHead(live.head) as { archive: { months: { month: string; count: number }[] }[] }).archive[0]?.months ?? []
      expect(months.find((m) => m.month === '2025-09')?.count).toBe(1)
      expect(months.find((m) => m.month === '2025-08')?.count).toBe(1)
      expect(live.shards.join('\n')).toContain(`"path":"${moved.to}"`)
      expect([live.head, ...live.shards].join('\n')).not.toContain(moved.from)
    })
  })
})

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
