import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { clearIsolateCache } from '../../src/content/kv'
import { blobKey, HEAD_KEY, sha256 } from '../../src/content/keys'
import { bucketEntries, decodePostings } from '../../src/content/postings'
import type { SearchDirectory } from '../../src/content/schema'
import { at, resetAfterEach } from './clock'
import { get } from './html'
import { seed } from './seed'

beforeAll(async () => {
  await seed(env.CONTENT)
})

resetAfterEach()


describe('search', () => {
  it('heads the results as Blogger does and ranks title matches first', async () => {
    at('2026-11-26T12:00:00Z')
    const page = await get('/search?q=ORM')
    expect(page.status).toBe(200)
    expect(page.text('.status-msg')).toBe('Showing posts matching the search for ORM. Show all posts')
    const results = page.hrefs('.post-outer h2 a')
    expect(results[0]).toBe('/2026/03/understanding-django-models-and-orm.html')
    expect(results).toContain('/2025/06/select-related-vs-prefetch-related.html')
  })

  it('matches every word, ignoring case and accents', async () => {
    at('2026-11-26T12:00:00Z')
    const page = await get('/search?q=CSRF%20Cookies')
    expect(page.hrefs('.post-outer h2 a')).toEqual(['/2025/12/csrf-sessions-and-cookies.html'])
    const accented = await get('/search?q=c%C3%B3okies%20csrf')
    expect(accented.hrefs('.post-outer h2 a')).toEqual(['/2025/12/csrf-sessions-and-cookies.html'])
  })

  it('says so when nothing matches', async () => {
    const page = await get('/search?q=xylophone')
    expect(page.status).toBe(200)
    expect(page.text('.status-msg')).toBe('No posts match the search for xylophone. Show all posts')
    expect(page.hrefs('.post-outer h2 a')).toEqual([])
  })

  it('treats words that name built-in properties as words', async () => {
    for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const page = await get(`/search?q=${word}`)
      expect(page.status, word).toBe(200)
      expect(page.text('.status-msg'), word).toBe(`No posts match the search for ${word}. Show all posts`)
    }
  })

  it('pages through many results', async () => {
    at('2026-11-26T12:00:00Z')
    const first = await get('/search?q=django&max-results=5')
    expect(first.hrefs('.post-outer h2 a')).toHaveLength(5)
    const more = first.hrefs('a.older-link')[0] ?? ''
    expect(more).toBe('/search?q=django&max-results=5&start-index=6')
    const second = await get(more)
    const overlap = second.hrefs('.post-outer h2 a').filter((p) => first.hrefs('.post-outer h2 a').includes(p))
    expect(second.hrefs('.post-outer h2 a').length).toBeGreaterThan(0)
    expect(overlap).toEqual([])
  })

  it('finds a scheduled post only from its time', async () => {
    at('2027-01-12T13:59:00Z')
    expect((await get('/search?q=pooling')).hrefs('.post-outer h2 a')).toEqual([])
    at('2027-01-12T14:00:00Z')
    expect((await get('/search?q=pooling')).hrefs('.post-outer h2 a')).toEqual(['/2027/01/connection-pooling-for-django.html'])
  })

  it('never finds a draft', async () => {
    expect((await get('/search?q=upgrading')).hrefs('.post-outer h2 a')).not.toContain('/2026/11/notes-on-upgrading-django.html')
  })

  it('still answers from indexes published before buckets became text, as a rollback brings back', async () => {
    at('2026-11-26T12:00:00Z')
    const build = await seed(env.CONTENT)
    const now = await get('/search?q=ORM&new-index')
    const twoWords = await get('/search?q=django%20orm&new-index')
    const store = async (value: unknown) => {
      const text = JSON.stringify(value)
      const hash = await sha256(text)
      await env.CONTENT.put(blobKey(hash), text)
      return hash
    }
    const bucketTexts = (build.head.search as SearchDirectory).buckets.map((hash) => bucketEntries(build.blobs.get(hash) ?? ''))
    // The two older forms: JSON buckets of postings strings named in the head; and before those,
    // JSON buckets of [id, weight] pairs in no particular order, listed in a directory blob.
    const jsonStrings = { buckets: await Promise.all(bucketTexts.map((entries) => store(Object.fromEntries(entries)))) }
    const pairBuckets = await Promise.all(
      bucketTexts.map((entries) => store(Object.fromEntries(entries.map(([term, postings]) => [term, [...decodePostings(postings)].reverse()])))),
    )
    const directory = await store({ buckets: pairBuckets })
    try {
      for (const [form, search] of [['strings in JSON', jsonStrings], ['pairs, directory blob', directory]] as const) {
        await env.CONTENT.put(HEAD_KEY, JSON.stringify({ ...build.head, search }))
        clearIsolateCache()
        const reads = vi.spyOn(env.CONTENT, 'get')
        const page = await get(`/search?q=ORM&old-index=${encodeURIComponent(form)}`)
        expect(page.status, form).toBe(200)
        expect(page.hrefs('.post-outer h2 a'), form).toEqual(now.hrefs('.post-outer h2 a'))
        expect(page.text('.status-msg'), form).toBe(now.text('.status-msg'))
        if (typeof search === 'string') expect(reads.mock.calls.map(([key]) => key)).toContain(blobKey(search))
        expect((await get(`/search?q=django%20orm&old-index=${encodeURIComponent(form)}`)).hrefs('.post-outer h2 a'), form).toEqual(twoWords.hrefs('.post-outer h2 a'))
        vi.restoreAllMocks()
      }
    } finally {
      await seed(env.CONTENT)
    }
  })
})
