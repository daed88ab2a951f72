import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Build, ContentFiles, SourceFile } from '../../src/build/build'
import { at, resetAfterEach } from './clock'
import { get, ORIGIN } from './html'
import { seed } from './seed'

// A page of older posts guesses from a shard's span how many of its posts lie past the cursor, as if
// they were spread evenly. Here they bunch: sixty posts in January, then one on 1 February and
// sixty-nine in the last days of March, so the newer shard's span promises more posts before
// 20 March than the one it holds. January's posts are labelled Winter, the rest Spring: a label
// whose posts all predate the archive's newest shard, and one whose posts are in it.

const NOW = '2026-06-01T00:00:00Z'

function bunchedBlog(): ContentFiles {
  const posts: SourceFile[] = []
  const post = (name: string, date: string, label: string) =>
    posts.push({ path: `content/posts/${name}.md`, text: `---\ntitle: "${name}"\ndate: ${date}\nlabels: [${label}]\n---\nA note called ${name}.\n` })
  for (let i = 0; i < 60; i++) post(`jan-${i}`, new Date(Date.parse('2026-01-01T00:00:00Z') + i * 11 * 3600_000).toISOString(), 'Winter')
  post('feb-first', '2026-02-01T09:00:00Z', 'Spring')
  for (let i = 0; i < 69; i++) post(`mar-${i}`, new Date(Date.parse('2026-03-21T00:00:00Z') + i * 3 * 3600_000).toISOString(), 'Spring')
  return {
    site: { path: 'content/site.yaml', text: 'title: Bunched\nauthor: Sam\nbaseUrl: https://bunched.example.com\npostsPerPage: 7\n' },
    posts,
    pages: [],
  }
}

let build: Build

beforeAll(async () => {
  build = await seed(env.CONTENT, bunchedBlog(), Date.parse(NOW))
})

resetAfterEach()

/** The page's post titles, and the KV read requests and keys it took from a cold isolate. */
async function olderThan(cursor: string) {
  at(NOW)
  const reads = vi.spyOn(env.CONTENT, 'get')
  const page = await get(`/search?updated-max=${encodeURIComponent(cursor)}&max-results=7`)
  expect(page.status).toBe(200)
  const keys = reads.mock.calls.reduce((n, [key]) => n + (Array.isArray(key) ? key.length : 1), 0)
  return { titles: page.texts('.post-outer h2 a'), requests: reads.mock.calls.length, keys }
}

describe('a page of older posts over posts that bunch', () => {
  it('has the shards it was built to test: January alone, then February and March', () => {
    expect(build.head.archive.map((ref) => ref.months.map((m) => `${m.month}:${m.count}`))).toEqual([
      ['2026-03:69', '2026-02:1'],
      ['2026-01:60'],
    ])
  })

  it('reads one shard when the cursor leaves it posts enough', async () => {
    const page = await olderThan('2026-03-29T00:00:00Z')
    expect(page.titles).toEqual(['mar-63', 'mar-62', 'mar-61', 'mar-60', 'mar-59', 'mar-58', 'mar-57'])
    expect({ requests: page.requests, keys: page.keys }).toEqual({ requests: 2, keys: 2 })
  })

  it('reads the next shard after it when the guess falls short, and lists the same posts', async () => {
    const page = await olderThan('2026-03-20T00:00:00Z')
    expect(page.titles).toEqual(['feb-first', 'jan-59', 'jan-58', 'jan-57', 'jan-56', 'jan-55', 'jan-54'])
    // head, the newer shard the span promised enough posts from, then the older one.
    expect({ requests: page.requests, keys: page.keys }).toEqual({ requests: 3, keys: 3 })
  })

  it('reads both shards in one request when the cursor is near the older end of a shard', async () => {
    const page = await olderThan('2026-02-02T00:00:00Z')
    expect(page.titles[0]).toBe('feb-first')
    expect(page.titles).toHaveLength(7)
    expect({ requests: page.requests, keys: page.keys }).toEqual({ requests: 2, keys: 3 })
  })
})

describe('a full label feed', () => {
  /** The keys of each KV read request the feed makes from a cold isolate, and its entries' text. */
  async function feed(label: string) {
    at(NOW)
    const reads = vi.spyOn(env.CONTENT, 'get')
    const res = await SELF.fetch(`${ORIGIN}/feeds/posts/default/-/${label}`)
    expect(res.status).toBe(200)
    const body = await res.text()
    const requests = reads.mock.calls.map(([key]) => (Array.isArray(key) ? key : [key]))
    // From each entry's content (its rendered paragraph, escaped), not its summary.
    return { requests, notes: [...body.matchAll(/&lt;p&gt;A note called ([\w-]+)\./g)].map((m) => m[1]) }
  }
  const newestArchive = () => `blob:${build.head.archive[0]?.hash}`
  const labelShard = (name: string) => `blob:${build.head.labels.find((l) => l.name === name)?.shards[0]?.hash}`

  it('reads the archive’s newest shard with the label’s when their posts overlap in time, for the hashes it holds', async () => {
    const { requests, notes } = await feed('Spring')
    expect(requests[1]?.sort()).toEqual([labelShard('Spring'), newestArchive()].sort())
    expect(notes).toEqual(Array.from({ length: 25 }, (_, i) => `mar-${68 - i}`))
  })

  it('reads the label’s shard alone when all its posts are older than the archive’s newest shard', async () => {
    const { requests, notes } = await feed('Winter')
    expect(requests[1]).toEqual([labelShard('Winter')])
    expect(notes).toEqual(Array.from({ length: 25 }, (_, i) => `jan-${59 - i}`))
  })
})
