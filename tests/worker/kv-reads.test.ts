import { env, SELF } from 'cloudflare:test'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Build, ContentFiles, SourceFile } from '../../src/build/build'
import { clearIsolateCache } from '../../src/content/kv'
import type { SearchDirectory } from '../../src/content/schema'
import { ownBlob } from '../../src/content/search'
import { RENDERER_VERSION } from '../../src/markdown/version'
import { get, ORIGIN } from './html'
import { keepRenders, seed } from './seed'

// 2,000 posts over ten years: no page may read more from KV because the blog is big.

const LABELS = ['Django', 'Python', 'Backend', 'ORM', 'Performance', 'Security', 'Testing', 'Redis']
const NOW = Date.parse('2027-01-01T00:00:00Z')

function syntheticBlog(count: number): ContentFiles {
  const posts: SourceFile[] = []
  const span = Date.parse('2026-12-31T00:00:00Z') - Date.parse('2017-01-01T00:00:00Z')
  for (let i = 0; i < count; i++) {
    const date = new Date(Date.parse('2017-01-01T00:00:00Z') + Math.floor((span * i) / count)).toISOString()
    const labels = [LABELS[i % LABELS.length], LABELS[(i * 7 + 3) % LABELS.length]]
    posts.push({
      path: `content/posts/p${i}.md`,
      text: `---\ntitle: "Synthetic post ${i}"\ndate: ${date}\nlabels: [${labels.join(', ')}]\n---\n## Part one\n\nPost number ${i} says something useful about queries.\n\n\`\`\`python\nprint(${i})\n\`\`\`\n`,
    })
  }
  return {
    site: {
      path: 'content/site.yaml',
      text: 'title: Big Blog\nauthor: Sam\nbaseUrl: https://big.example.com\ntimeZone: Europe/Berlin\n',
    },
    posts,
    pages: [{ path: 'content/pages/about.md', text: '---\ntitle: About\n---\nAbout this blog.\n' }],
  }
}

let build: Build

beforeAll(async () => {
  build = await seed(env.CONTENT, syntheticBlog(2000), NOW)
}, 120_000)

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

/** Waits for the renders the last requests kept to reach KV: they are written after the response. */
async function rendersSettled(): Promise<void> {
  let last = -1
  for (let same = 0; same < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 30))
    const count = (await env.CONTENT.list({ prefix: `render:${RENDERER_VERSION}:` })).keys.length
    same = count === last ? same + 1 : 0
    last = count
  }
}

/** Keys read by the last `readsFor`: a bulk read is one request for up to a hundred keys. */
let keysRead = 0

/** KV read requests made by one request from a cold isolate. */
async function readsFor(path: string, expectedStatus = 200): Promise<number> {
  clearIsolateCache()
  const reads = vi.spyOn(env.CONTENT, 'get')
  const lists = vi.spyOn(env.CONTENT, 'list')
  const page = await get(path)
  expect(page.status, path).toBe(expectedStatus)
  expect(lists).not.toHaveBeenCalled()
  const count = reads.mock.calls.length
  keysRead = reads.mock.calls.reduce((keys, [key]) => keys + (Array.isArray(key) ? key.length : 1), 0)
  vi.restoreAllMocks()
  return count
}

describe('KV reads per page with 2,000 posts over ten years', () => {
  it('stay within a small bound for every page type', async () => {
    const newest = build.posts[0]
    const middle = build.posts[1000]
    if (!newest || !middle) throw new Error('the synthetic blog is empty')
    // Each page is requested once, so that none is answered from the edge cache.
    const older = `/search?updated-max=${encodeURIComponent(build.posts[6]?.date ?? '')}&max-results=7`
    const reads = {
      home: await readsFor('/'),
      'older posts': await readsFor(older),
      'older posts, deep': await readsFor(`/search?updated-max=${encodeURIComponent(middle.date)}&max-results=20`),
      post: await readsFor(middle.path),
      'newest post': await readsFor(newest.path),
      month: await readsFor(middle.path.slice(0, 9)),
      year: await readsFor('/2021/'),
      label: await readsFor('/search/label/Django'),
      'label, deep': await readsFor(`/search/label/Django?updated-max=${encodeURIComponent(middle.date)}`),
      page: await readsFor('/p/about.html'),
      search: await readsFor('/search?q=queries'),
      feed: await readsFor('/feeds/posts/default'),
      '404': await readsFor('/2017/01/no-such-post.html', 404),
      'unknown URL': await readsFor('/nothing/here', 404),
    }
    expect(reads).toEqual({
      home: 2,
      'older posts': 2,
      'older posts, deep': 2,
      // The first render of a post anywhere: head, shard, a miss in the render cache, the post.
      post: 4,
      'newest post': 4,
      month: 2,
      year: 2,
      label: 2,
      'label, deep': 2,
      page: 3,
      // head (which lists the index's buckets) and the word's blob: all 2,000 posts say "queries",
      // so it has a blob of its own, which holds the summaries of a first page's posts too.
      search: 2,
      // head, shard, the renders of its 25 posts in one request and, in another, the blobs of those
      // not rendered yet (all but the newest post, rendered just before): only when no render was
      // kept, neither by the publisher nor by any isolate since.
      feed: 4,
      '404': 2,
      'unknown URL': 1,
    })
  })

  it('stay within three once a post or a feed has been rendered anywhere', async () => {
    const middle = build.posts[1200]
    if (!middle) throw new Error('the synthetic blog is empty')
    // No post of this label has been rendered yet.
    const feed = '/feeds/posts/default/-/Testing'
    const first = { post: await readsFor(middle.path), feed: await readsFor(feed) }
    const firstFeedKeys = keysRead
    await rendersSettled()
    // A query of their own, so that the edge cache misses and the page is rendered again, in a
    // cold isolate: what another data center does after the first render.
    const again = {
      post: await readsFor(`${middle.path}?again`),
      page: await readsFor('/p/about.html?again'),
      feed: await readsFor(`${feed}?again`),
    }
    // head, the label's newest shard (it always holds a full shard of posts, more than a feed
    // shows) with the archive's newest (which holds the hashes of the newest posts for it); then
    // the posts' renders in one request, and in another the blobs of those the default feed did
    // not render already (the 25 newest posts, in the test before): four requests, and these keys.
    const labelsOf = (hash: string) => (JSON.parse(build.blobs.get(hash) ?? '{}') as { labels: string[] }).labels
    const entries = build.posts.filter((p) => labelsOf(p.hash).includes('Testing')).slice(0, 25)
    const renderedBefore = entries.filter((p) => build.posts.indexOf(p) < 25).length
    expect(renderedBefore).toBeGreaterThan(0)
    expect(first).toEqual({ post: 4, feed: 4 })
    expect(firstFeedKeys).toBe(3 + 25 * 2 - renderedBefore)
    // The feed: head, its shard, and its posts' renders in one request.
    expect(again).toEqual({ post: 3, page: 2, feed: 3 })
  })

  it('stay within three the first time, once a publish has kept its posts’ renders', async () => {
    const label = 'Redis'
    const labelsOf = (hash: string) => (JSON.parse(build.blobs.get(hash) ?? '{}') as { labels: string[] }).labels
    const posts = build.posts.filter((p) => labelsOf(p.hash).includes(label))
    const newest = posts.slice(0, 25)
    const someone = posts[40]
    if (!someone) throw new Error('the synthetic blog is too small')
    // What `quire publish` keeps for these posts, and nothing has read them yet.
    await keepRenders(env.CONTENT, build, [...newest, someone].map((p) => ['post', p.hash]))
    const first = { post: await readsFor(someone.path), feed: await readsFor(`/feeds/posts/default/-/${label}`) }
    expect(first).toEqual({ post: 3, feed: 3 })
    // head, the label's shard with the archive's newest, the 25 renders: no post's Markdown.
    expect(keysRead).toBe(28)
  })

  it('reads a search’s buckets, and the shards of the posts it shows, in one request each', async () => {
    // Every post says "queries" and "useful"; results 101 to 150 span several months and shards.
    const path = '/search?q=useful%20queries&max-results=50&start-index=101'
    const requests = await readsFor(path)
    const page = await get(path)
    const shown = page.hrefs('.post-outer h2 a')
    expect(shown).toHaveLength(50)
    const shards = new Set(
      shown.map((href) => build.head.archive.findIndex((ref) => ref.months.some((m) => href.startsWith(`/${m.month.replace('-', '/')}/`)))),
    )
    expect(shards.size).toBeGreaterThan(1)
    // Equal weights: newest first, from the 101st.
    expect(shown).toEqual(build.posts.slice(100, 150).map((post) => post.path))
    // Words in all 2,000 posts have blobs of their own, read with the buckets of the rest.
    const directory = build.head.search as SearchDirectory
    expect([ownBlob(directory, 'useful'), ownBlob(directory, 'queries')].map((hash) => build.blobs.has(hash ?? ''))).toEqual([true, true])
    expect(requests).toBe(3)
    expect(keysRead).toBe(1 + 2 + shards.size)
    // The first page of one such word: its blob summarises the posts it shows, so no shard is read.
    const first = '/search?q=useful'
    expect(await readsFor(first)).toBe(2)
    expect(keysRead).toBe(2)
    const firstPage = await get(first)
    expect(firstPage.hrefs('.post-outer h2 a')).toEqual(build.posts.slice(0, 7).map((post) => post.path))
    // ...shown as the archive's shards show them: the newest seven, as a list of older posts.
    const after = encodeURIComponent(new Date(Date.parse(build.posts[0]?.date ?? '') + 1000).toISOString())
    const archived = await get(`/search?updated-max=${after}&max-results=7`)
    expect(firstPage.doc.querySelectorAll('.post-outer').map((post) => post.outerHTML)).toEqual(
      archived.doc.querySelectorAll('.post-outer').map((post) => post.outerHTML),
    )
    // A word with a blob of its own and one in a bucket, together: one post, not on that first page,
    // so in one shard.
    const mixed = '/search?q=useful%201000'
    expect([ownBlob(directory, 'useful') !== undefined, ownBlob(directory, '1000')]).toEqual([true, undefined])
    expect(await readsFor(mixed)).toBe(3)
    expect(keysRead).toBe(1 + 2 + 1)
    expect((await get(mixed)).hrefs('.post-outer h2 a')).toEqual([build.posts.find((post) => post.title === 'Synthetic post 1000')?.path])
    // A blob whose summaries cannot be read: the search says so (503), and logs which key.
    const hash = ownBlob(directory, 'useful') ?? ''
    const text = build.blobs.get(hash) ?? ''
    try {
      await env.CONTENT.put(`blob:${hash}`, `${text.slice(0, text.indexOf('\n\n'))}\n\nshard 1\n{}\nno fields here`)
      clearIsolateCache()
      const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      expect((await get('/search?q=useful&broken')).status).toBe(503)
      expect(String(log.mock.calls.flat().join(' '))).toContain(`KV value "blob:${hash}" cannot be read`)
    } finally {
      await env.CONTENT.put(`blob:${hash}`, text)
      clearIsolateCache()
    }
  })

  it('reads in one request the shards a page of older posts spans, even when its cursor falls near a shard’s end', async () => {
    // Just after the oldest post of a shard (just before its newest, for newer posts): one post of
    // it is on the page, the rest is in the next shard, which its months tell before either is read.
    const shard = build.head.archive[5]
    if (!shard) throw new Error('the synthetic blog has too few shards')
    const shifted = (date: string, ms: number) => encodeURIComponent(new Date(Date.parse(date) + ms).toISOString())
    for (const path of [
      `/search?updated-max=${shifted(shard.oldest, 1000)}&max-results=20`,
      `/search?updated-min=${shifted(shard.newest, -1000)}&max-results=20`,
    ]) {
      const requests = await readsFor(path)
      expect({ path, requests, keys: keysRead }).toEqual({ path, requests: 2, keys: 3 })
    }
  })

  it('reads one shard for a page of older posts whose cursor leaves its shard posts enough', async () => {
    // Halfway through a shard of about seventy evenly spread posts, half of the thirty-odd its span
    // puts past the cursor is more than a page of ten: the next shard is not read.
    const shard = build.head.archive[5]
    if (!shard) throw new Error('the synthetic blog has too few shards')
    const halfway = new Date((Date.parse(shard.oldest) + Date.parse(shard.newest)) / 2).toISOString()
    for (const path of [
      `/search?updated-max=${encodeURIComponent(halfway)}&max-results=10`,
      `/search?updated-min=${encodeURIComponent(halfway)}&max-results=10`,
    ]) {
      const requests = await readsFor(path)
      expect({ path, requests, keys: keysRead }).toEqual({ path, requests: 2, keys: 2 })
    }
  })

  it('finds in the archive’s shards the blobs of a full label feed’s posts that lie past the label’s newest shard', async () => {
    const label = 'ORM'
    const labelsOf = (hash: string) => (JSON.parse(build.blobs.get(hash) ?? '{}') as { labels: string[] }).labels
    const posts = build.posts.filter((p) => labelsOf(p.hash).includes(label))
    const newestShard = build.head.labels.find((l) => l.name === label)?.shards[0]
    if (!newestShard) throw new Error(`the synthetic blog has no label ${label}`)
    // Entries 201 to 210 of the label: past its newest shard, whose lines alone hold the hashes.
    expect(newestShard.count).toBeLessThan(200)
    const expected = posts.slice(200, 210)
    const feed = `/feeds/posts/default/-/${label}?start-index=201&max-results=10`
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'entry' })
    const entriesOf = async (path: string) => {
      const res = await SELF.fetch(`${ORIGIN}${path}`)
      expect(res.status).toBe(200)
      const entries = (parser.parse(await res.text()) as { feed: { entry: { title: { '#text': string }; content: { '#text': string } }[] } }).feed.entry
      return entries.map((e) => ({ title: e.title['#text'], number: /Post number (\d+) says/.exec(e.content['#text'])?.[1] }))
    }
    const want = expected.map((p) => ({ title: `Synthetic post ${p.path.match(/p(\d+)/)?.[1]}`, number: p.path.match(/p(\d+)/)?.[1] }))
    expect(await entriesOf(feed)).toEqual(want)
    await rendersSettled()
    // From a cold isolate once rendered: head, the label's shards, the archive's shards that hold
    // those posts' hashes, then the posts' renders.
    expect(await readsFor(`${feed}&again`)).toBe(4)
    expect(await entriesOf(`${feed}&again2`)).toEqual(want)
    // The first page: the newest of them are in the archive's newest shard, which holds their hashes.
    const newestWant = posts.slice(0, 10).map((p) => ({ title: `Synthetic post ${p.path.match(/p(\d+)/)?.[1]}`, number: p.path.match(/p(\d+)/)?.[1] }))
    expect(await entriesOf(`/feeds/posts/default/-/${label}?max-results=10`)).toEqual(newestWant)
    // More posts than a feed shows by default: those past its 25 have no hash in the label's shard.
    const longer = `/feeds/posts/default/-/${label}?max-results=50`
    const longerWant = posts.slice(0, 50).map((p) => ({ title: `Synthetic post ${p.path.match(/p(\d+)/)?.[1]}`, number: p.path.match(/p(\d+)/)?.[1] }))
    expect(await entriesOf(longer)).toEqual(longerWant)
    await rendersSettled()
    expect(await readsFor(`${longer}&again`)).toBe(4)
  })

  it('answers 503, naming the post, when no archive shard holds the hash a label feed needs', async () => {
    // An archive's newest shard that has lost its posts: the label's newest shard names posts whose
    // hashes only it holds.
    const newest = build.head.archive[0]
    if (!newest) throw new Error('the synthetic blog has no archive')
    const key = `blob:${newest.hash}`
    const text = await env.CONTENT.get(key)
    if (text === null) throw new Error('the newest archive shard is not in KV')
    try {
      await env.CONTENT.put(key, text.split('\n').slice(0, 2).join('\n'))
      clearIsolateCache()
      const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const res = await SELF.fetch(`${ORIGIN}/feeds/posts/default/-/Redis?emptied`)
      expect(res.status).toBe(503)
      expect(await res.text()).not.toContain('ContentUnavailableError')
      expect(String(log.mock.calls.flat().join(' '))).toMatch(/no archive shard of version \w+ holds \/\d{4}\/\d{2}\/p\d+\.html, which a label's shard lists/)
    } finally {
      await env.CONTENT.put(key, text)
      clearIsolateCache()
    }
  })

  it('keeps the head small', () => {
    expect(build.headJson.length).toBeLessThan(64 * 1024)
  })

  it('reads nothing from KV for blobs this isolate already holds', async () => {
    await get('/search/label/Python')
    const reads = vi.spyOn(env.CONTENT, 'get')
    await get('/search/label/Python?max-results=3')
    expect(reads).not.toHaveBeenCalled()
  })
})
