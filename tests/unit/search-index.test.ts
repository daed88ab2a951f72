import { describe, expect, it } from 'vitest'
import { buildSite, type SourceFile } from '../../src/build/build'
import { searchBuckets } from '../../src/build/search'
import type { SearchBucket } from '../../src/content/schema'
import { bucketOf } from '../../src/content/terms'

const SITE: SourceFile = { path: 'content/site.yaml', text: 'title: T\nauthor: A\nbaseUrl: https://blog.example.com\n' }

const entry = (path: string, title: string, labels: string[] = [], headings: string[] = [], snippet = '') => ({
  post: { path, title, date: '', author: '', labels, minutes: 1, markdown: '' },
  summary: { path, title, date: '', labels, snippet, minutes: 1, hash: '' },
  headings,
})

describe('the search index', () => {
  it('lists each term’s posts in build order with their weights', () => {
    const buckets = searchBuckets([
      entry('/2026/03/a.html', 'Caching views', ['Django'], ['Caching keys'], 'About caching.'),
      entry('/2026/02/b.html', 'Django caching'),
    ])
    const bucket = buckets[bucketOf('caching', buckets.length)] as SearchBucket
    expect(bucket.caching).toEqual([
      ['2026/03/a', 4 + 2 + 1],
      ['2026/02/b', 4],
    ])
  })

  it('indexes words that are also names of every object’s properties', async () => {
    const post: SourceFile = {
      path: 'content/posts/ctor.md',
      text: '---\ntitle: The constructor and valueOf\ndate: 2026-03-03\n---\nWords.\n',
    }
    const build = await buildSite({ site: SITE, posts: [post], pages: [] }, { now: Date.parse('2026-06-01T00:00:00Z') })
    const directory = JSON.parse(build.blobs.get(build.head.search) as string) as { buckets: string[] }
    const bucket = JSON.parse(build.blobs.get(directory.buckets[bucketOf('constructor', directory.buckets.length)] as string) as string)
    expect(bucket.constructor).toEqual([['2026/03/ctor', 4]])
  })
})
