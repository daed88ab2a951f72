import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { type Build, buildSite, type ContentFiles } from '../../src/build/build'
import { clearIsolateCache, readHead } from '../../src/content/kv'
import { at, resetAfterEach } from './clock'
import { blobKey, HEAD_KEY } from '../../src/content/keys'
import type { Head } from '../../src/content/schema'
import { get, ORIGIN } from './html'
import { BUILT_AT, sampleContent, seed } from './seed'
import { SECURITY_HEADERS } from '../../src/edge/security'

let build: Build

beforeAll(async () => {
  build = await seed(env.CONTENT)
})

resetAfterEach()

const timing = (page: { headers: Headers }) => page.headers.get('server-timing') ?? ''

/** Headers as a sorted list of pairs, to compare two responses' headers whole. */
const headerList = (headers: Headers, without: string[] = []) =>
  [...headers].filter(([name]) => !without.includes(name)).sort(([a], [b]) => (a < b ? -1 : 1))

/** Publishes like the publisher, blobs then head, but leaves the isolate's memory as it is. */
async function publishQuietly(files: ContentFiles): Promise<void> {
  const next = await buildSite(files, { now: BUILT_AT })
  await Promise.all([...next.blobs].map(([hash, value]) => env.CONTENT.put(blobKey(hash), value)))
  await env.CONTENT.put(HEAD_KEY, next.headJson)
}

/** Moves the clock past the few seconds the isolate trusts the head it read, keeping its memory. */
function laterBy(ms: number): void {
  const now = Date.now()
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(now + ms)
}

describe('the edge cache', () => {
  it('renders a page once, then serves it from the Cache API without reading KV or rendering', async () => {
    const first = await get('/2025/08/')
    expect(timing(first)).toMatch(/^cache;desc="miss", render;dur=\d+(\.\d)?$/)
    const reads = vi.spyOn(env.CONTENT, 'get')
    const second = await get('/2025/08/')
    expect(timing(second)).toBe('cache;desc="hit"')
    expect(reads).not.toHaveBeenCalled()
    expect(second.html).toBe(first.html)
  })

  it('serves a page another isolate rendered from the Cache API, reading only the head', async () => {
    const first = await get('/2026/01/')
    expect(timing(first)).toMatch(/miss/)
    // A fresh isolate: no head, no blobs and no pages in memory; the data center's cache has it.
    clearIsolateCache()
    const reads = vi.spyOn(env.CONTENT, 'get')
    const second = await get('/2026/01/')
    expect(timing(second)).toBe('cache;desc="hit"')
    expect(reads.mock.calls.map((call) => call[0])).toEqual(['head'])
    expect(second.html).toBe(first.html)
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
  })

  it('keys pages by the base URL, never by the Host the request names', async () => {
    await get('/2025/10/')
    const forged = await get('/2025/10/', { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } })
    expect(timing(forged)).toBe('cache;desc="hit"')
    const elsewhere = await fetchFrom('https://mirror.example.net/2025/10/')
    expect(elsewhere.headers.get('server-timing')).toBe('cache;desc="hit"')
  })

  it('drops tracking parameters and sorts the rest, so equivalent URLs share an entry', async () => {
    const date = encodeURIComponent(build.posts[3]?.date ?? '')
    await get(`/search/label/Django?updated-max=${date}&max-results=3`)
    const same = await get(`/search/label/Django?max-results=3&utm_source=news&fbclid=abc&updated-max=${date}&gclid=x`)
    expect(timing(same)).toBe('cache;desc="hit"')
    const different = await get(`/search/label/Django?max-results=4&updated-max=${date}`)
    expect(timing(different)).toMatch(/miss/)
  })

  it('sends an ETag and answers If-None-Match with 304 and no body', async () => {
    const first = await get('/p/about.html')
    const etag = first.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{8}"$/)
    const again = await get('/p/about.html', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.html).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    const other = await get('/', { headers: { 'if-none-match': etag } })
    expect(other.status).toBe(200)
  })

  it('gives browsers a short lifetime and shared caches a long one, with stale-while-revalidate', async () => {
    at('2026-11-26T12:00:00Z')
    const page = await get('/2026/01/custom-management-commands.html')
    expect(page.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=86400, stale-while-revalidate=86400')
  })

  it('answers HEAD like GET, without a body', async () => {
    const res = await fetchFrom('https://backendnotes.example.com/2025/06/', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  })

  it('refuses other methods with 405 and names the allowed ones', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetchFrom('https://backendnotes.example.com/', { method })
      expect(res.status, method).toBe(405)
      expect(res.headers.get('allow')).toBe('GET, HEAD')
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
  })

  it('caches a 404 only briefly and never an error', async () => {
    const missing = await get('/2025/06/not-here.html')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=60')
    const bad = await get('/search?updated-max=soon')
    expect(bad.status).toBe(400)
    expect(bad.headers.get('cache-control')).toBe('no-store')
  })

  it('tags pages with the version, the post, its month and its labels', async () => {
    const page = await get('/2025/12/csrf-sessions-and-cookies.html')
    expect(page.headers.get('cache-tag')?.split(',')).toEqual([
      `v:${build.head.version}`,
      'post:/2025/12/csrf-sessions-and-cookies.html',
      'month:2025-12',
      'label:django',
      'label:security',
    ])
  })

  it('needs no purge after a publish: a new version means new keys', async () => {
    await get('/p/about.html')
    const files = sampleContent()
    const pages = files.pages.map((p) => ({ ...p, text: p.text.replace('title: "About"', 'title: "About me"') }))
    expect(pages[0]?.text).toContain('About me')
    await seed(env.CONTENT, { ...files, pages })
    const after = await get('/p/about.html')
    expect(timing(after)).toMatch(/miss/)
    expect(after.text('h1')).toBe('About me')
    await seed(env.CONTENT)
  })
})

describe('a hit, answered before the app routes the request', () => {
  it('sends the same bytes and headers as the rendered page, but for Server-Timing', async () => {
    const path = '/2026/03/how-django-works-internally.html'
    const rendered = await fetchFrom(`${ORIGIN}${path}`)
    const renderedBody = new Uint8Array(await rendered.arrayBuffer())
    expect(timing(rendered)).toMatch(/miss/)
    const hit = await fetchFrom(`${ORIGIN}${path}`)
    expect(timing(hit)).toBe('cache;desc="hit"')
    expect(new Uint8Array(await hit.arrayBuffer())).toEqual(renderedBody)
    expect(headerList(hit.headers, ['server-timing'])).toEqual(headerList(rendered.headers, ['server-timing']))
    for (const [name, value] of SECURITY_HEADERS) expect(hit.headers.get(name), name).toBe(value)
    expect(hit.headers.get('etag')).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{8}"$/)
    expect(hit.headers.get('cache-tag')).toContain('post:/2026/03/how-django-works-internally.html')
  })

  it('keeps the security headers on a hit from the Cache API and on a 304', async () => {
    const first = await get('/2026/02/')
    clearIsolateCache()
    const fromCacheApi = await get('/2026/02/')
    expect(timing(fromCacheApi)).toBe('cache;desc="hit"')
    const notModified = await get('/2026/02/', { headers: { 'if-none-match': first.headers.get('etag') ?? '' } })
    expect(notModified.status).toBe(304)
    for (const page of [fromCacheApi, notModified]) {
      for (const [name, value] of SECURITY_HEADERS) expect(page.headers.get(name), name).toBe(value)
    }
  })

  it('answers HEAD from the cache with the headers of GET and no body', async () => {
    const page = await fetchFrom(`${ORIGIN}/2025/06/`)
    await page.arrayBuffer()
    const head = await fetchFrom(`${ORIGIN}/2025/06/`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(timing(head)).toBe('cache;desc="hit"')
    expect(await head.text()).toBe('')
    expect(head.headers.get('etag')).toBe(page.headers.get('etag'))
    expect(head.headers.get('content-security-policy')).toContain("object-src 'none'")
  })

  it('serves the new version once the isolate reads the head again after a publish', async () => {
    const before = await get('/p/about.html')
    expect(before.text('h1')).toBe('About')
    expect(timing(await get('/p/about.html'))).toBe('cache;desc="hit"')
    const files = sampleContent()
    // A title of its own: the Cache API holds what the file's other tests published.
    const retitled = files.pages.map((p) => ({ ...p, text: p.text.replace('title: "About"', 'title: "About this blog"') }))
    await publishQuietly({ ...files, pages: retitled })
    laterBy(10_000)
    const after = await get('/p/about.html')
    expect(timing(after)).toMatch(/miss/)
    expect(after.text('h1')).toBe('About this blog')
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'))
    expect(after.headers.get('cache-tag')).not.toBe(before.headers.get('cache-tag'))
    await seed(env.CONTENT)
  })

  it("treats a query of tracking parameters or Blogger's mobile switch alone like no query, and ignores the fragment", async () => {
    await get('/2025/11/')
    for (const path of ['/2025/11/?utm_source=news&fbclid=x', '/2025/11/#comments', '/2025/11/?quire-last-good=1', '/2025/11/?m=1']) {
      expect(timing(await get(path)), path).toBe('cache;desc="hit"')
    }
  })

  it('renders the page when the Cache API fails to answer, and logs it', async () => {
    const store = (caches as unknown as { default: Cache }).default
    vi.spyOn(store, 'match').mockRejectedValue(new Error('cache is down'))
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const page = await get('/2026/01/')
    expect(page.status).toBe(200)
    expect(timing(page)).toMatch(/miss/)
    expect(String(log.mock.calls.flat().join(' '))).toContain('cache is down')
  })

  it('leaves other methods to the app, which refuses them after a hit too', async () => {
    await get('/')
    expect(timing(await get('/'))).toBe('cache;desc="hit"')
    const res = await fetchFrom(`${ORIGIN}/`, { method: 'POST' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
  })
})

describe('scheduled posts and the caches', () => {
  it('never lets a cached page outlive the next scheduled post', async () => {
    at('2027-01-12T13:59:00Z')
    const minuteBefore = await get('/search/label/Performance')
    expect(minuteBefore.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=60, stale-while-revalidate=0')
    at('2027-01-12T13:59:50Z')
    const tenSecondsBefore = await get('/search/label/Performance')
    expect(timing(tenSecondsBefore)).toBe('cache;desc="hit"')
    expect(tenSecondsBefore.headers.get('cache-control')).toBe('public, max-age=10, s-maxage=10, stale-while-revalidate=0')
    const fresh = await get('/search/label/Performance?max-results=7')
    expect(fresh.headers.get('cache-control')).toBe('public, max-age=10, s-maxage=10, stale-while-revalidate=0')
  })

  it('shows the post at its time on a page cached just before', async () => {
    at('2027-01-12T13:59:30Z')
    const before = await get('/search/label/PostgreSQL')
    expect(before.hrefs('.post-outer h2 a')).not.toContain('/2027/01/connection-pooling-for-django.html')
    at('2027-01-12T14:00:00Z')
    clearIsolateCache()
    const after = await get('/search/label/PostgreSQL')
    expect(timing(after)).toMatch(/miss/)
    expect(after.hrefs('.post-outer h2 a')[0]).toBe('/2027/01/connection-pooling-for-django.html')
  })
})

describe('scheduled posts and the pages this isolate keeps', () => {
  it('moves every key when a scheduled post goes live, without forgetting anything', async () => {
    at('2027-01-12T13:59:30Z')
    // The Cache API holds what the file's other tests rendered: this address is this test's own.
    const before = await get('/search/label/PostgreSQL?max-results=3')
    expect(timing(await get('/search/label/PostgreSQL?max-results=3'))).toBe('cache;desc="hit"')
    laterBy(30_000)
    const after = await get('/search/label/PostgreSQL?max-results=3')
    expect(timing(after)).toMatch(/miss/)
    expect(after.hrefs('.post-outer h2 a')[0]).toBe('/2027/01/connection-pooling-for-django.html')
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'))
  })
})

describe('security headers', () => {
  it('come with every response: pages, cache hits, 404s, 405s and the stylesheet', async () => {
    const home = await get('/')
    const stylesheet = home.doc.querySelector('link[rel=stylesheet]')?.getAttribute('href') ?? ''
    // The second '/' is a cache hit.
    for (const path of ['/', '/2026/03/how-django-works-internally.html', '/nowhere', stylesheet]) {
      const page = await get(path)
      const csp = page.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("script-src 'self'")
      expect(csp).toContain("object-src 'none'")
      expect(csp).toContain("base-uri 'none'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).not.toContain('unsafe-inline')
      expect(page.headers.get('x-content-type-options')).toBe('nosniff')
      expect(page.headers.get('x-frame-options')).toBe('DENY')
      expect(page.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(page.headers.get('permissions-policy')).toContain('camera=()')
      expect(page.headers.get('strict-transport-security')).toContain('max-age=31536000')
    }
    const refused = await fetchFrom('https://backendnotes.example.com/', { method: 'POST' })
    expect(refused.headers.get('content-security-policy')).toContain("object-src 'none'")
  })

  it('serves the stylesheet under a hashed URL for a year', async () => {
    const home = await get('/')
    const href = home.doc.querySelector('link[rel=stylesheet]')?.getAttribute('href') ?? ''
    expect(href).toMatch(/^\/assets\/style\.[0-9a-f]{8}\.css$/)
    const css = await get(href)
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })
})

describe('the head', () => {
  it('is read again after a few seconds, but parsed again only when its text changed', async () => {
    clearIsolateCache()
    const first = await readHead(env.CONTENT)
    laterBy(6_000)
    const reads = vi.spyOn(env.CONTENT, 'get')
    expect(await readHead(env.CONTENT)).toBe(first)
    expect(reads).toHaveBeenCalledTimes(1)
    try {
      // The same head written differently: a new text is parsed, and validated, again.
      await env.CONTENT.put(HEAD_KEY, JSON.stringify(build.head, null, 1))
      laterBy(6_000)
      const reparsed = await readHead(env.CONTENT)
      expect(reparsed).not.toBe(first)
      // A split head's labels read their shard refs through a getter, which toEqual does not see.
      const withShards = (head: Head | null) => head && { ...head, labels: head.labels.map(({ name, key, count, shards }) => ({ name, key, count, shards })) }
      expect(withShards(reparsed)).toEqual(withShards(first))
    } finally {
      await env.CONTENT.put(HEAD_KEY, build.headJson)
    }
  })

  it('has its labels’ shard refs read only by the pages of a label', async () => {
    const label = build.head.labels.find((l) => l.key === 'django')
    if (!label) throw new Error('the sample blog has no Django label')
    const before = await get('/search/label/Django?whole-head')
    const at = build.headJson.lastIndexOf('\n"labelShards":')
    expect(at).toBeGreaterThan(0)
    try {
      // Broken refs, all on one line as heads were first split: what does not need them still
      // answers; a label's page says it cannot read.
      const broken = build.head.labels.map((l) => (l.key === 'django' ? [{ hash: 42 }] : l.shards))
      await env.CONTENT.put(HEAD_KEY, `${build.headJson.slice(0, at)}\n"labelShards":${JSON.stringify(broken)}}`)
      clearIsolateCache()
      const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      expect((await get('/?broken-label-refs')).status).toBe(200)
      expect((await get('/2026/03/how-django-works-internally.html?broken-label-refs')).status).toBe(200)
      expect(log).not.toHaveBeenCalled()
      expect((await get('/search/label/Django?broken-label-refs')).status).toBe(503)
      expect(String(log.mock.calls.flat().join(' '))).toMatch(/KV value "head \(the shards of the label "django"\)" does not match its schema/)
      // Each label's refs are checked on their own: another label's page still answers.
      expect((await get('/search/label/Python?broken-label-refs')).status).toBe(200)
      // Refs a line per label, as the publisher writes them: a line that is not even JSON fails
      // its label's pages alone.
      const lines = build.headJson.split('\n')
      const django = lines.findIndex((line) => line.startsWith(JSON.stringify(label.shards)))
      expect(django).toBeGreaterThan(1)
      lines[django] = '[{"hash":,'
      await env.CONTENT.put(HEAD_KEY, lines.join('\n'))
      clearIsolateCache()
      expect((await get('/search/label/Django?broken-label-line')).status).toBe(503)
      expect(String(log.mock.calls.flat().join(' '))).toMatch(/KV value "head \(the shards of the label "django"\)" cannot be read/)
      expect((await get('/search/label/Python?broken-label-line')).status).toBe(200)
      // A head from before the refs moved to their own line: each label holds its own.
      await env.CONTENT.put(HEAD_KEY, JSON.stringify(build.head))
      clearIsolateCache()
      const whole = await get('/search/label/Django?old-head')
      expect(whole.status).toBe(200)
      expect(whole.hrefs('.post-outer h2 a')).toEqual(before.hrefs('.post-outer h2 a'))
    } finally {
      await env.CONTENT.put(HEAD_KEY, build.headJson)
      clearIsolateCache()
    }
  })

  it('reads the archive’s refs as lines, or as JSON from an older head, and says which line is wrong', async () => {
    const before = await get('/?archive-lines')
    expect(before.status).toBe(200)
    const core = JSON.parse(build.headJson.slice(0, build.headJson.indexOf('\n') - 1) + '}') as { archive: string }
    expect(typeof core.archive).toBe('string')
    try {
      // Split as now, but the archive's refs as JSON objects, as published before the lines.
      await env.CONTENT.put(HEAD_KEY, build.headJson.replace(JSON.stringify(core.archive), JSON.stringify(build.head.archive)))
      clearIsolateCache()
      const older = await get('/?archive-json')
      expect(older.status).toBe(200)
      expect(older.hrefs('.post-outer h2 a')).toEqual(before.hrefs('.post-outer h2 a'))
      expect(before.texts('.archive-widget li').length).toBeGreaterThan(1)
      expect(older.texts('.archive-widget li')).toEqual(before.texts('.archive-widget li'))
      // A line cut short: every page that reads the head says it cannot, with the line.
      const broken = core.archive.split(' ').slice(0, 5).join(' ')
      await env.CONTENT.put(HEAD_KEY, build.headJson.replace(JSON.stringify(core.archive), JSON.stringify(broken)))
      clearIsolateCache()
      const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      const page = await get('/?archive-broken')
      expect(page.status).toBe(503)
      expect(page.html).not.toContain('at ')
      expect(String(log.mock.calls.flat().join(' '))).toMatch(/KV value "head" cannot be read: line 1 of the archive's shards has not a hash/)
    } finally {
      await env.CONTENT.put(HEAD_KEY, build.headJson)
      clearIsolateCache()
    }
  })
})

describe('shards', () => {
  /** Every shard blob the head names, with its text. */
  const shardTexts = () =>
    [...new Set([...build.head.archive, ...build.head.labels.flatMap((l) => l.shards)].map((ref) => ref.hash))].map(
      (hash) => [hash, build.blobs.get(hash) as string] as const,
    )
  const restoreShards = async () => {
    await Promise.all(shardTexts().map(([hash, text]) => env.CONTENT.put(blobKey(hash), text)))
    clearIsolateCache()
  }
  const PAGES = ['/', '/2025/08/', '/2025/', '/search/label/Django', '/search?q=django', '/2025/08/gunicorn-behind-nginx.html', '/feeds/posts/default', '/sitemap.xml']

  it('written as one JSON document, as before they were lines, still read the same', async () => {
    const before = await Promise.all(PAGES.map((path) => get(`${path}${path.includes('?') ? '&' : '?'}line-shards`)))
    try {
      for (const [hash, text] of shardTexts()) {
        const [, links, ...lines] = text.split('\n')
        const posts = lines.map((line) => JSON.parse(line.split('\t')[2] as string) as unknown)
        await env.CONTENT.put(blobKey(hash), JSON.stringify({ posts, ...(JSON.parse(links as string) as object) }))
      }
      clearIsolateCache()
      const after = await Promise.all(PAGES.map((path) => get(`${path}${path.includes('?') ? '&' : '?'}json-shards`)))
      after.forEach((page, i) => {
        expect(page.status, PAGES[i]).toBe(200)
        expect(page.html.replaceAll('json-shards', 'line-shards'), PAGES[i]).toBe(before[i]?.html)
      })
    } finally {
      await restoreShards()
    }
  })

  it('parse a post’s summary only when a page shows it: a broken one fails only its pages', async () => {
    const ref = build.head.archive[0]
    if (!ref) throw new Error('the sample blog has no archive')
    const lines = (build.blobs.get(ref.hash) as string).split('\n')
    // A live post with live neighbours, in another month than the newest posts.
    const index = lines.findIndex((line, i) => i > 4 && line.startsWith('/2025/08/'))
    const broken = lines[index]?.split('\t')[0] as string
    expect(broken).toMatch(/^\/2025\/08\//)
    try {
      lines[index] = lines[index]?.replace(/"title":/, '"title":42,"was":') as string
      await env.CONTENT.put(blobKey(ref.hash), lines.join('\n'))
      clearIsolateCache()
      const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      expect((await get('/?broken-summary')).status).toBe(200)
      expect((await get('/2026/01/?broken-summary')).status).toBe(200)
      expect(log).not.toHaveBeenCalled()
      expect((await get(`${broken}?broken-summary`)).status).toBe(503)
      expect((await get('/2025/08/?broken-summary')).status).toBe(503)
      expect(String(log.mock.calls.flat().join(' '))).toMatch(new RegExp(`KV value "blob:${ref.hash} \\(post ${index - 1}\\)" does not match its schema at title`))
    } finally {
      await restoreShards()
    }
  })
})

describe('when KV fails', () => {
  it('serves the last good copy of a page, marked stale', async () => {
    const good = await get('/2025/08/gunicorn-behind-nginx.html')
    expect(good.status).toBe(200)
    clearIsolateCache()
    vi.spyOn(env.CONTENT, 'get').mockRejectedValue(new Error('KV is down'))
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const stale = await get('/2025/08/gunicorn-behind-nginx.html')
    expect(stale.status).toBe(200)
    expect(timing(stale)).toBe('cache;desc="stale"')
    expect(stale.text('h1')).toBe(good.text('h1'))
    expect(stale.headers.get('cache-control')).toBe('no-store')
    expect(stale.headers.get('content-security-policy')).toContain("object-src 'none'")
  })

  it('answers 503 with Retry-After when there is no good copy', async () => {
    clearIsolateCache()
    const reads = vi.spyOn(env.CONTENT, 'get').mockRejectedValue(new Error('KV is down'))
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const page = await get('/2025/08/python-idioms-for-code-review.html')
    expect(page.status).toBe(503)
    expect(page.headers.get('retry-after')).toBe('30')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.text('h1')).toBe('Temporarily unavailable')
    expect(page.headers.get('content-security-policy')).toContain("object-src 'none'")
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    // One read and one retry.
    expect(reads).toHaveBeenCalledTimes(2)
  })

  it('gives up on a read that hangs, and retries once', async () => {
    await get('/')
    const reads = vi.spyOn(env.CONTENT, 'get').mockImplementation(() => new Promise(() => undefined))
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const page = await get('/2025/12/')
    expect(page.status).toBe(503)
    expect(page.text('.site-title')).toBe('Backend Notes')
    expect(reads).toHaveBeenCalledTimes(2)
  }, 20_000)

  it('answers 503, not a cached 404, for a post whose blob has not arrived yet', async () => {
    const post = build.posts.find((p) => p.path === '/2026/02/caching-django-views-with-redis.html')
    if (!post) throw new Error('sample post missing')
    const value = build.blobs.get(post.hash) ?? ''
    await env.CONTENT.delete(blobKey(post.hash))
    // A render kept by an earlier page (the feed keeps its posts') would stand in for the blob.
    const renders = await env.CONTENT.list({ prefix: 'render:' })
    await Promise.all(renders.keys.map((key) => env.CONTENT.delete(key.name)))
    clearIsolateCache()
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const early = await get(post.path)
    expect(early.status).toBe(503)
    expect(early.headers.get('retry-after')).toBe('30')
    expect(early.headers.get('cache-control')).toBe('no-store')
    await env.CONTENT.put(blobKey(post.hash), value)
    const later = await get(post.path)
    expect(later.status).toBe(200)
  })

  it('treats a malformed head as a failed read and logs the key', async () => {
    const headJson = await env.CONTENT.get(HEAD_KEY)
    await env.CONTENT.put(HEAD_KEY, JSON.stringify({ schema: 1, version: 'x', site: {} }))
    clearIsolateCache()
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const page = await get('/2026/05/')
    expect(page.status).toBe(503)
    expect(String(log.mock.calls.flat().join(' '))).toMatch(/KV value "head" does not match its schema at site\.title/)
    await env.CONTENT.put(HEAD_KEY, headJson ?? '')
  })
})

async function fetchFrom(url: string, init?: RequestInit): Promise<Response> {
  const { SELF } = await import('cloudflare:test')
  return SELF.fetch(url, init)
}
