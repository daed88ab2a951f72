import { describe, expect, it } from 'vitest'
import type { PostSummary, Shard } from '../../src/content/schema'
import { decodeShard, encodeShard, isShardText, ShardLines } from '../../src/content/shard-text'

const summary = (n: number, extra: Partial<PostSummary> = {}): PostSummary => ({
  path: `/2026/03/post-${n}.html`,
  title: `Post ${n}: tabs\tand\nbreaks "quoted"`,
  date: `2026-03-${String(10 - n).padStart(2, '0')}T09:00:00+01:00`,
  labels: ['Django', 'Ünïcode'],
  snippet: 'A line\nand another',
  minutes: n,
  hash: `h${n}`,
  ...extra,
})

const shard: Shard = {
  posts: [summary(1), summary(2, { updated: '2026-04-01T00:00:00Z' }), summary(3)],
  older: { path: '/2026/02/before.html', title: 'Before', date: '2026-02-28T00:00:00Z' },
  newer: null,
}

describe('shard text', () => {
  it('gives back each post by index and by path, with its path, date and summary as written', () => {
    const text = encodeShard(shard)
    expect(isShardText(text)).toBe(true)
    expect(isShardText(JSON.stringify(shard))).toBe(false)
    const lines = new ShardLines(text)
    expect(lines.count).toBe(3)
    expect(JSON.parse(lines.links)).toEqual({ older: shard.older, newer: null })
    shard.posts.forEach((post, i) => {
      expect(lines.pathAt(i)).toBe(post.path)
      expect(lines.dateAt(i)).toBe(post.date)
      expect(JSON.parse(lines.jsonAt(i))).toEqual(post)
      expect(lines.indexOf(post.path)).toBe(i)
    })
    expect(lines.indexOf('/2026/03/post-4.html')).toBe(-1)
    // A path that is the start of another's is not it.
    expect(lines.indexOf('/2026/03/post-')).toBe(-1)
    expect(() => lines.pathAt(3)).toThrow(/no post 4/)
  })

  it('holds a shard with no posts', () => {
    const lines = new ShardLines(encodeShard({ posts: [], older: null, newer: null }))
    expect(lines.count).toBe(0)
    expect(JSON.parse(lines.links)).toEqual({ older: null, newer: null })
  })

  it('writes each summary with the function given, once per post', () => {
    const seen: string[] = []
    const text = encodeShard(shard, (post) => {
      seen.push(post.path)
      return JSON.stringify({ ...post, title: 'x' })
    })
    expect(seen).toEqual(shard.posts.map((p) => p.path))
    expect(JSON.parse(new ShardLines(text).jsonAt(1)).title).toBe('x')
  })

  it('refuses a path with a tab, and a line without its path and date', () => {
    expect(() => encodeShard({ ...shard, posts: [summary(1, { path: '/a\tb.html' })] })).toThrow(/tab or a line break/)
    const text = encodeShard(shard).replace(/\n(\/2026\/03\/post-2\.html)\t/, '\n$1 ')
    expect(() => new ShardLines(text)).toThrow(/post 2 of the shard has no path and date/)
  })

  it('parses whole either form, for the CLI', () => {
    expect(decodeShard(encodeShard(shard))).toEqual(shard)
    expect(decodeShard(JSON.stringify(shard))).toEqual(shard)
  })
})
