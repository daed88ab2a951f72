import { describe, expect, it } from 'vitest'
import { buildSite, type SourceFile } from '../../src/build/build'
import { indexEntry, indexOf, MAX_OWN_BLOBS, OWN_BLOB_BYTES, postTerms, searchIndex, termsOf, withFirstResults } from '../../src/build/search'
import { ShardLines } from '../../src/content/shard-text'
import type { SearchDirectory } from '../../src/content/schema'
import { bucketEntries, bucketPostings, countPostings, decodePostings, encodeBucket, encodePostings, hasPosting, type Posting, RankedPostings, termBlobResults } from '../../src/content/postings'
import { ownBlob } from '../../src/content/search'
import { bucketOf, searchTerms } from '../../src/content/terms'

const SITE: SourceFile = { path: 'content/site.yaml', text: 'title: T\nauthor: A\nbaseUrl: https://blog.example.com\n' }

const entry = (path: string, title: string, labels: string[] = [], headings: string[] = [], snippet = '') => ({
  post: { path, title, date: '', author: '', labels, minutes: 1, markdown: '' },
  summary: { path, title, date: '', labels, snippet, minutes: 1, hash: '' },
  headings,
})

describe('the search index', () => {
  it('lists each term’s posts with their weights, ranked as a one-word search ranks them', () => {
    const { buckets } = searchIndex([
      entry('/2026/01/c.html', 'Caching'),
      entry('/2026/02/b.html', 'Notes', [], [], 'Caching again.'),
      entry('/2026/03/a.html', 'Caching views', ['Django'], ['Caching keys'], 'About caching.'),
      entry('/2026/02/d.html', 'Django caching'),
    ])
    const bucket = buckets[bucketOf('caching', buckets.length)] as string
    // Heaviest first; among equal weights, the newer month, then the later path.
    expect([...decodePostings(bucketPostings(bucket, 'caching'))]).toEqual([
      ['2026/03/a', 4 + 2 + 1],
      ['2026/02/d', 4],
      ['2026/01/c', 4],
      ['2026/02/b', 1],
    ])
  })

  it('gives each post’s terms once per text, with the weights of the texts that hold them', () => {
    const post = entry('/2026/03/a.html', 'Caching caching views', ['Django', 'Caching'], ['Views of views'], 'Caching the views.')
    expect(postTerms(post)).toBe(`caching ${4 + 3 + 1} views ${4 + 2 + 1} django 3`)
    expect(indexEntry(post)).toEqual(['2026/03/a', postTerms(post)])
    expect(postTerms(entry('/2026/03/b.html', 'The and of'))).toBe('')
  })

  it('builds the same buckets from terms found elsewhere, in any order of the posts', () => {
    const posts = Array.from({ length: 300 }, (_, i) =>
      entry(`/20${10 + (i % 17)}/0${1 + (i % 9)}/p${i}.html`, `Post ${i} on ${['caching', 'views', 'forms'][i % 3]}`, [`L${i % 5}`], [`Part ${i % 7}`], `About ${i % 11}.`),
    )
    const whole = searchIndex(posts)
    expect(whole.buckets.length).toBe(8)
    const shuffled = posts.map((post) => indexEntry(post)).sort((a, b) => (a[1] < b[1] ? -1 : 1))
    expect(indexOf(shuffled)).toEqual(whole)
    expect(indexOf([])).toEqual(searchIndex([]))
  })

  it('gives the most common words blobs of their own, and the rest buckets of about 16 KiB', () => {
    // Every post's title says "caching"; one post in three says "views", one in 7 its part, one in
    // 97 its topic: only "caching" and "views" run past 16 KiB of postings.
    const posts = Array.from({ length: 6000 }, (_, i) =>
      indexEntry(entry(`/20${10 + (i % 17)}/0${1 + (i % 9)}/p${i}.html`, `Caching ${i % 3 === 0 ? 'views' : 'forms'}`, [], [`Part${i % 7}`], `Topic${i % 97}.`)),
    )
    const index = indexOf(posts)
    expect(index.terms.map(([term]) => term)).toEqual(['caching', 'forms', 'views'])
    for (const [term, text] of index.terms) {
      expect(bucketEntries(text).map(([name]) => name)).toEqual([term])
      expect(bucketPostings(text, term).length).toBeGreaterThan(OWN_BLOB_BYTES)
      // ...and no bucket holds it.
      for (const bucket of index.buckets) expect(bucketPostings(bucket, term)).toBe('')
    }
    expect(countPostings(bucketPostings(index.terms[0]?.[1] ?? '', 'caching'))).toBe(6000)
    // The rest: a few buckets, none much over 16 KiB, every term in the bucket bucketOf names.
    const rest = index.buckets.flatMap((bucket, i) => bucketEntries(bucket).map(([term]) => [term, i] as const))
    expect(rest.length).toBe(7 + 97)
    for (const [term, i] of rest) expect(bucketOf(term, index.buckets.length)).toBe(i)
    const bytes = index.buckets.reduce((sum, bucket) => sum + bucket.length, 0)
    expect(index.buckets.length).toBe(bytes > 8 * OWN_BLOB_BYTES ? 16 : 8)
  })

  it('names the blob of a word with one of its own, and of no other word', () => {
    const hash = (c: string) => c.repeat(64)
    const directory = { buckets: [], terms: `post ${hash('a')} posts ${hash('b')} cafe ${hash('c')}` }
    expect(ownBlob(directory, 'post')).toBe(hash('a'))
    expect(ownBlob(directory, 'posts')).toBe(hash('b'))
    expect(ownBlob(directory, 'cafe')).toBe(hash('c'))
    for (const term of ['pos', 'ost', 'afe', 'aaaa', 'django']) expect(ownBlob(directory, term), term).toBeUndefined()
    expect(ownBlob({ buckets: [] }, 'post')).toBeUndefined()
  })

  it('puts the summaries of a common word’s first results in its blob, without their hashes', () => {
    const posts = Array.from({ length: 12 }, (_, i) => entry(`/2026/0${1 + (i % 9)}/p${i}.html`, i % 4 === 0 ? 'Caching caching' : 'Caching'))
    const summaryOf = new Map(posts.map(({ summary }, i) => [summary.path, { ...summary, date: `2026-01-0${1 + (i % 9)}`, hash: `h${i}` }]))
    const { buckets } = searchIndex(posts)
    const bucket = encodeBucket([['caching', bucketPostings(buckets[bucketOf('caching', buckets.length)] as string, 'caching')]])
    const text = withFirstResults(bucket, 'caching', summaryOf, 5)
    expect(bucketPostings(text, 'caching')).toBe(bucketPostings(bucket, 'caching'))
    const results = new ShardLines(termBlobResults(text) ?? '')
    const ranked = [...decodePostings(bucketPostings(bucket, 'caching'))].slice(0, 5).map(([id]) => `/${id}.html`)
    expect(Array.from({ length: results.count }, (_, i) => results.pathAt(i))).toEqual(ranked)
    for (let i = 0; i < results.count; i++) {
      expect(JSON.parse(results.jsonAt(i))).toEqual({ ...summaryOf.get(ranked[i] ?? ''), hash: '' })
    }
    expect(termBlobResults(bucket)).toBeNull()
  })

  it('gives no more than 128 words blobs of their own, the longest', () => {
    // 3,000 posts; word i is in every post, every second, third or fourth by i % 4: 150 words run
    // past 16 KiB of postings, 75 of them to twice as far as the rest.
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`)
    const posts = Array.from({ length: 3000 }, (_, p) =>
      indexEntry(entry(`/2020/01/p${p}.html`, 'Post', [], [], words.filter((_, i) => p % (1 + (i % 4)) === 0).join(' '))),
    )
    const index = indexOf(posts)
    expect(index.terms).toHaveLength(MAX_OWN_BLOBS)
    const own = new Set(index.terms.map(([term]) => term))
    for (const [i, word] of words.entries()) if (i % 4 === 0) expect(own.has(word), word).toBe(true)
    const shortestOwn = Math.min(...index.terms.map(([term, text]) => bucketPostings(text, term).length))
    const inBuckets = index.buckets.flatMap((bucket) => bucketEntries(bucket))
    expect(Math.max(...inBuckets.map(([, postings]) => postings.length))).toBeLessThanOrEqual(shortestOwn)
    expect(inBuckets.length + index.terms.length).toBe(words.length + 1)
  })

  it('indexes words that are also names of every object’s properties', async () => {
    const post: SourceFile = {
      path: 'content/posts/ctor.md',
      text: '---\ntitle: The constructor and valueOf\ndate: 2026-03-03\n---\nWords.\n',
    }
    const build = await buildSite({ site: SITE, posts: [post], pages: [] }, { now: Date.parse('2026-06-01T00:00:00Z') })
    const directory = build.head.search as SearchDirectory
    const bucket = build.blobs.get(directory.buckets[bucketOf('constructor', directory.buckets.length)] as string) as string
    expect(bucketPostings(bucket, 'constructor')).toBe('2026/03/ctor 4')
  })
})

describe('a bucket as text', () => {
  const bucket = encodeBucket([
    ['django', '2026/03/a 4 2026/02/b 1'],
    ['dj', '2026/01/c 3'],
    ['go', '2026/01/d 2'],
    ['caché', '2026/01/e 1'],
  ])

  it('finds a term’s postings, and only that term’s, wherever it is', () => {
    expect(bucketPostings(bucket, 'django')).toBe('2026/03/a 4 2026/02/b 1')
    expect(bucketPostings(bucket, 'dj')).toBe('2026/01/c 3')
    expect(bucketPostings(bucket, 'go')).toBe('2026/01/d 2')
    expect(bucketPostings(bucket, 'caché')).toBe('2026/01/e 1')
    for (const absent of ['djan', 'jango', 'o', '2026', 'constructor', '']) expect(bucketPostings(bucket, absent), absent).toBe('')
  })

  it('reads back what was written, and is never an empty value', () => {
    expect(bucketEntries(bucket)).toEqual([
      ['django', '2026/03/a 4 2026/02/b 1'],
      ['dj', '2026/01/c 3'],
      ['go', '2026/01/d 2'],
      ['caché', '2026/01/e 1'],
    ])
    expect(encodeBucket([])).not.toBe('')
    expect(bucketEntries(encodeBucket([]))).toEqual([])
    // An older index's bucket is JSON, and tells itself apart by its first character.
    expect(bucket.startsWith('{')).toBe(false)
  })
})

describe('terms of ASCII text', () => {
  it('are the terms searchTerms finds, for random ASCII and for text that is not ASCII', () => {
    let seed = 99
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed / 2 ** 32
    }
    const words = ['The', 'and', 'of', 'Django', 'ORM', 'a', 'I', 'x', 'it’s', "it's", 'café', 'ÉCOLE', 'ﬁle', '２０２６', 'snake_case', 'C++', 'v2.1', 'x'.repeat(41)]
    for (let n = 0; n < 3000; n++) {
      let text = ''
      for (let k = Math.floor(next() * 12); k > 0; k--) {
        text += next() < 0.5 ? (words[Math.floor(next() * words.length)] as string) : String.fromCharCode(Math.floor(next() * 128))
        text += next() < 0.7 ? ' ' : ''
      }
      expect(termsOf(text), JSON.stringify(text)).toEqual(searchTerms(text))
    }
  })
})

describe('postings as one string', () => {
  it('decode to what was encoded, in order, and count without decoding', () => {
    const cases: Posting[][] = [
      [],
      [['2026/03/a', 7]],
      [['2026/03/a', 7], ['2026/03/a-b', 4], ['2025/12/ab', 4], ['2019/01/x_1', 1]],
      Array.from({ length: 500 }, (_, i): Posting => [`20${10 + (i % 17)}/0${1 + (i % 9)}/post-${i}`, 1 + (i % 13)]),
    ]
    for (const postings of cases) {
      const stored = encodePostings(postings)
      expect([...decodePostings(stored)]).toEqual(postings)
      expect(countPostings(stored)).toBe(postings.length)
    }
  })

  it('are written ranked by weight, and in the order they came within a weight, as encodePostings writes them', () => {
    const came: Posting[] = Array.from({ length: 300 }, (_, i) => [`2026/01/p-${String(999 - i).padStart(3, '0')}`, 1 + ((i * 7) % 10)])
    const ranked = new RankedPostings()
    for (const [id, weight] of came) ranked.add(id, weight)
    const expected = [...came].sort((a, b) => b[1] - a[1])
    expect(ranked.toString()).toBe(encodePostings(expected))
    expect(new RankedPostings().toString()).toBe('')
  })

  it('read the pairs of an index written before the string form', () => {
    expect([...decodePostings([['2026/03/a', 7], ['2026/02/b', 1]])]).toEqual([['2026/03/a', 7], ['2026/02/b', 1]])
  })

  it('find a post only by its whole id', () => {
    const stored = encodePostings([['2026/03/ab', 4], ['2026/03/a-b', 2], ['2026/02/c', 1]])
    expect(hasPosting(stored, '2026/03/ab')).toBe(true)
    expect(hasPosting(stored, '2026/03/a-b')).toBe(true)
    expect(hasPosting(stored, '2026/02/c')).toBe(true)
    expect(hasPosting(stored, '2026/03/a')).toBe(false)
    expect(hasPosting(stored, '2026/02/')).toBe(false)
    expect(hasPosting(stored, '03/ab')).toBe(false)
  })
})
