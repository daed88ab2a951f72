import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Build, ContentFiles, SourceFile } from '../../src/build/build'
import { findLabel, listNewer, listPosts, type PostList } from '../../src/content/queries'
import { readHead } from '../../src/content/kv'
import type { Head, ShardRef } from '../../src/content/schema'
import { seed } from './seed'

// Pages of older and newer posts from every cursor, against the posts the blog holds: the lists
// find the shards beyond a cursor by searching the shards' dates, so a cursor at any post, just
// before or after one, or beyond either end must give the same posts as a plain filter would.
// Twenty posts a month for a year make four archive shards of three months; two posts of every
// three are labelled Often (160 posts, in label shards of a hundred and of sixty), and the last
// five posts are scheduled after NOW.

const NOW = Date.parse('2026-01-16T00:00:00Z')
const LIMIT = 7
const often = new Set<string>()

function yearOfPosts(): ContentFiles {
  const posts: SourceFile[] = []
  for (let month = 0; month < 12; month++) {
    for (let i = 0; i < 20; i++) {
      const date = new Date(Date.UTC(2025, month + 1, 1 + i, 8, 30)).toISOString()
      const name = `p-${month}-${i}`
      const label = (month * 20 + i) % 3 === 0 ? 'Seldom' : 'Often'
      if (label === 'Often') often.add(name)
      posts.push({ path: `content/posts/${name}.md`, text: `---\ntitle: "${name}"\ndate: ${date}\nlabels: [${label}]\n---\nThe note ${name}.\n` })
    }
  }
  return {
    site: { path: 'content/site.yaml', text: 'title: A year\nauthor: Sam\nbaseUrl: https://year.example.com\npostsPerPage: 7\n' },
    posts,
    pages: [],
  }
}

let build: Build
let head: Head

beforeAll(async () => {
  build = await seed(env.CONTENT, yearOfPosts(), NOW)
  const read = await readHead(env.CONTENT)
  if (!read) throw new Error('the blog was not seeded')
  head = read
})

/** The live posts' paths and instants, newest first; only those labelled Often when asked. */
function livePosts(onlyOften = false): { path: string; ms: number }[] {
  return build.posts
    .filter((post) => !onlyOften || often.has(post.title))
    .map((post) => ({ path: post.path, ms: Date.parse(post.date) }))
    .filter((post) => post.ms <= NOW)
    .sort((a, b) => b.ms - a.ms)
}

/** Every post's instant, a millisecond either side of it, and instants beyond both ends. */
function cursors(): number[] {
  const all = build.posts.map((post) => Date.parse(post.date))
  return [...all.flatMap((ms) => [ms - 1, ms, ms + 1]), Math.min(...all) - 86_400_000, Math.max(...all) + 86_400_000]
}

/** A list as the test compares it, named by its cursor so that a failure says which. */
const listed = (cursor: number, list: PostList) => ({ cursor: new Date(cursor).toISOString(), paths: list.posts.map((p) => p.path), more: list.more })
const expected = (cursor: number, page: { path: string }[], more: boolean) => ({ cursor: new Date(cursor).toISOString(), paths: page.map((p) => p.path), more })

async function checkEveryCursor(shards: ShardRef[], posts: { path: string; ms: number }[]) {
  for (const cursor of cursors()) {
    const older = posts.filter((post) => post.ms < cursor)
    const olderList = await listPosts(env.CONTENT, shards, { now: NOW, limit: LIMIT, before: cursor })
    expect(listed(cursor, olderList)).toEqual(expected(cursor, older.slice(0, LIMIT), older.length > LIMIT))
    const newer = posts.filter((post) => post.ms > cursor)
    const newerList = await listNewer(env.CONTENT, shards, { now: NOW, limit: LIMIT, after: cursor })
    expect(listed(cursor, newerList)).toEqual(expected(cursor, newer.slice(-LIMIT), newer.length > LIMIT))
  }
}

describe('a page of posts beyond a cursor', () => {
  it('has the shards it was built to test', () => {
    expect(head.archive.map((ref) => ref.count)).toEqual([60, 60, 60, 60])
    expect(findLabel(head, 'Often', NOW)?.shards.map((ref) => ref.count)).toEqual([100, 60])
    expect(build.posts.filter((post) => Date.parse(post.date) > NOW)).toHaveLength(5)
  })

  it('lists the archive’s posts older and newer than any cursor, as a filter of all its posts would', async () => {
    await checkEveryCursor(head.archive, livePosts())
  })

  it('lists a label’s posts older and newer than any cursor, as a filter of its posts would', async () => {
    const label = findLabel(head, 'Often', NOW)
    if (!label) throw new Error('the blog has no label Often')
    await checkEveryCursor(label.shards, livePosts(true))
  })
})
