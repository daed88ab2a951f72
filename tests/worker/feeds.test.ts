import { env, SELF } from 'cloudflare:test'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Build, ContentFiles } from '../../src/build/build'
import { clearIsolateCache } from '../../src/content/kv'
import { at, resetAfterEach } from './clock'
import { get, ORIGIN } from './html'
import { BUILT_AT, sampleContent, seed } from './seed'

const BASE = 'https://backendnotes.example.com'
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'item', 'link', 'category', 'url', 'sitemap'].includes(name) })

interface Fetched {
  status: number
  type: string
  body: string
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML is checked field by field
  xml: any
}

async function fetchXml(path: string): Promise<Fetched> {
  const res = await SELF.fetch(`${ORIGIN}${path}`)
  const body = await res.text()
  const valid = XMLValidator.validate(body)
  if (valid !== true) throw new Error(`${path} is not well-formed XML: ${JSON.stringify(valid)}`)
  return { status: res.status, type: res.headers.get('content-type') ?? '', body, xml: parser.parse(body) }
}

let build: Build

beforeAll(async () => {
  build = await seed(env.CONTENT)
})

resetAfterEach()


const live = () => build.posts.filter((p) => Date.parse(p.date) <= BUILT_AT)

describe('Atom at Blogger’s URL', () => {
  it('lists the live posts newest first with full, absolute content', async () => {
    at(BUILT_AT)
    const { status, type, xml } = await fetchXml('/feeds/posts/default')
    expect(status).toBe(200)
    expect(type).toBe('application/atom+xml; charset=utf-8')
    const entries = xml.feed.entry
    expect(entries.map((e: { link: { '@href': string }[] }) => e.link[0]?.['@href'])).toEqual(live().map((p) => `${BASE}${p.path}`))
    const orm = entries.find((e: { title: { '#text': string } }) => e.title['#text'].startsWith('Understanding Django Models'))
    expect(orm.published).toBe('2026-03-03T08:30:00-05:00')
    expect(orm.id).toBe('tag:backendnotes.example.com,2026:/2026/03/understanding-django-models-and-orm.html')
    expect(orm.category.map((c: { '@term': string }) => c['@term'])).toEqual(['Django', 'ORM', 'Python', 'Performance'])
    const html: string = orm.content['#text']
    expect(html).toContain('<h2 id="introduction"')
    // Every link and image in the content is absolute.
    const urls = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? '')
    expect(urls.length).toBeGreaterThan(5)
    for (const url of urls) expect(url, url).toMatch(/^(https?:|mailto:)/)
    expect(urls).toContain(`${BASE}/2026/03/understanding-django-models-and-orm.html#footnote-1`)
  })

  it('is also at /atom.xml, and as summaries at /feeds/posts/summary', async () => {
    const atom = await fetchXml('/atom.xml')
    expect(atom.xml.feed.entry.length).toBe(live().length)
    const summary = await fetchXml('/feeds/posts/summary')
    expect(summary.xml.feed.entry[0].content).toBeUndefined()
    expect(summary.xml.feed.entry[0].summary['#text'].length).toBeGreaterThan(20)
  })

  it("is whole at Blogger's other projection, /feeds/posts/full, for the blog and for a label", async () => {
    at(BUILT_AT)
    const ids = (f: Fetched) => f.xml.feed.entry.map((e: { id: string }) => e.id)
    const full = await fetchXml('/feeds/posts/full')
    expect(ids(full)).toEqual(ids(await fetchXml('/feeds/posts/default')))
    expect(full.xml.feed.entry[0].content['#text'].length).toBeGreaterThan(200)
    const label = await fetchXml('/feeds/posts/full/-/Django')
    expect(ids(label)).toEqual(ids(await fetchXml('/feeds/posts/default/-/Django')))
    expect(ids(label).length).toBeLessThan(ids(full).length)
  })

  it('pages with max-results and start-index, linking to the next page', async () => {
    at(BUILT_AT)
    const first = await fetchXml('/feeds/posts/default?max-results=5')
    const second = await fetchXml('/feeds/posts/default?start-index=6&max-results=5')
    const ids = (f: Fetched) => f.xml.feed.entry.map((e: { id: string }) => e.id)
    expect(ids(first)).toHaveLength(5)
    expect(ids(second)).toHaveLength(5)
    expect(ids(second).filter((id: string) => ids(first).includes(id))).toEqual([])
    const next = first.xml.feed.link.find((l: { '@rel': string }) => l['@rel'] === 'next')
    expect(next['@href']).toBe(`${BASE}/feeds/posts/default?max-results=5&start-index=6`)
  })

  it('answers nonsense paging with 400', async () => {
    expect((await SELF.fetch(`${ORIGIN}/feeds/posts/default?max-results=lots`)).status).toBe(400)
    expect((await SELF.fetch(`${ORIGIN}/feeds/posts/default?start-index=0`)).status).toBe(400)
    expect((await SELF.fetch(`${ORIGIN}/feeds/posts/default?alt=json-in-script`)).status).toBe(400)
  })
})

describe('RSS, label feeds and JSON Feed', () => {
  it('serves RSS 2.0 with RFC 822 dates on a 24-hour clock', async () => {
    const { type, xml } = await fetchXml('/feeds/posts/default?alt=rss')
    expect(type).toBe('application/rss+xml; charset=utf-8')
    const item = xml.rss.channel.item.find((i: { title: string }) => i.title.startsWith('Understanding Django Models'))
    expect(item.pubDate).toBe('Tue, 03 Mar 2026 13:30:00 GMT')
    expect(item.link).toEqual([`${BASE}/2026/03/understanding-django-models-and-orm.html`])
    const late = xml.rss.channel.item.find((i: { title: string }) => i.title.startsWith('How Django Works'))
    expect(late.pubDate).toBe('Tue, 24 Mar 2026 14:00:00 GMT')
  })

  it('serves one label’s posts at /feeds/posts/default/-/LABEL, matched case-insensitively', async () => {
    at(BUILT_AT)
    const { xml } = await fetchXml('/feeds/posts/default/-/security')
    expect(xml.feed.title['#text']).toBe('Backend Notes: Security')
    expect(xml.feed.entry.map((e: { link: { '@href': string }[] }) => e.link[0]?.['@href'])).toEqual([
      `${BASE}/2025/12/csrf-sessions-and-cookies.html`,
    ])
    expect((await SELF.fetch(`${ORIGIN}/feeds/posts/default/-/NoSuchLabel`)).status).toBe(404)
  })

  it('serves JSON Feed 1.1', async () => {
    at(BUILT_AT)
    const res = await SELF.fetch(`${ORIGIN}/feed.json`)
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8')
    const feed = (await res.json()) as { version: string; items: { url: string; content_html: string; date_published: string }[] }
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.items.map((i) => i.url)).toEqual(live().map((p) => `${BASE}${p.path}`))
    expect(feed.items[0]?.content_html).toContain('<p>')
  })

  it('leaves scheduled posts out until their time', async () => {
    at('2027-01-12T13:59:59Z')
    expect((await fetchXml('/feeds/posts/default')).body).not.toContain('connection-pooling-for-django')
    at('2027-01-12T14:00:00Z')
    const after = await fetchXml('/feeds/posts/default')
    expect(after.xml.feed.entry[0].link[0]['@href']).toBe(`${BASE}/2027/01/connection-pooling-for-django.html`)
  })
})

describe('hostile text in feeds', () => {
  const title = `Tom & Jerry <b>"quoted"</b> 'single' ]]> 🚀 שלום עולם \u0001bell\u0008 \uFFFE end \uD800`
  // The parser trims the space the removed lone surrogate leaves at the end.
  const expected = `Tom & Jerry <b>"quoted"</b> 'single' ]]> 🚀 שלום עולם bell  end`

  it('stays well-formed, and the text round-trips without the characters XML forbids', async () => {
    const files: ContentFiles = sampleContent()
    const hostile = {
      path: 'content/posts/hostile.md',
      text: `---\ntitle: ${JSON.stringify(title)}\ndate: 2026-11-01T10:00:00Z\nlabels: ["R&D <x>"]\n---\nBody with & < > ]]> and \u0002 control, 🚀 and עברית.\n`,
    }
    await seed(env.CONTENT, { ...files, posts: [...files.posts, hostile] })
    at(BUILT_AT)
    for (const path of ['/feeds/posts/default', '/feeds/posts/default?alt=rss', '/feeds/posts/summary', '/feeds/posts/default/-/R%26D%20%3Cx%3E']) {
      const { xml } = await fetchXml(path)
      const first = xml.feed ? xml.feed.entry[0] : xml.rss.channel.item[0]
      const text = typeof first.title === 'string' ? first.title : first.title['#text']
      expect(JSON.stringify(text), path).toBe(JSON.stringify(expected))
    }
    const rss = await fetchXml('/feeds/posts/default?alt=rss')
    expect(rss.xml.rss.channel.item[0].description).toContain('Body with &amp; &lt; &gt; ]]&gt; and  control, 🚀 and עברית.')
    const json = (await (await SELF.fetch(`${ORIGIN}/feed.json`)).json()) as { items: { title: string }[] }
    expect(json.items[0]?.title).toBe(`${expected} `)
    await seed(env.CONTENT)
  })
})

describe('for search engines', () => {
  it('names every post, page, month and label in the sitemap, with lastmod from the content', async () => {
    at(BUILT_AT)
    const index = await fetchXml('/sitemap.xml')
    const sitemaps: string[] = index.xml.sitemapindex.sitemap.map((s: { loc: string }) => s.loc)
    expect(sitemaps[0]).toBe(`${BASE}/sitemap-pages.xml`)
    const locs: string[] = []
    const lastmods: string[] = []
    for (const sitemap of sitemaps) {
      const { xml } = await fetchXml(new URL(sitemap).pathname)
      for (const url of xml.urlset.url) {
        locs.push(url.loc)
        if (url.lastmod) lastmods.push(url.lastmod)
      }
    }
    for (const post of live()) expect(locs).toContain(`${BASE}${post.path}`)
    expect(locs).toContain(`${BASE}/p/about.html`)
    expect(locs).toContain(`${BASE}/2026/03/`)
    expect(locs).toContain(`${BASE}/search/label/Django`)
    expect(locs.some((l) => l.includes('2027') || l.includes('notes-on-upgrading'))).toBe(false)
    // lastmod comes from the content, never from the clock.
    expect(lastmods).toContain('2026-03-24T10:00:00-04:00')
    for (const lastmod of lastmods) expect(Date.parse(lastmod)).toBeLessThanOrEqual(BUILT_AT)
  })

  it('points robots.txt at the sitemap', async () => {
    const res = await SELF.fetch(`${ORIGIN}/robots.txt`)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;\s?charset=utf-8$/i)
    expect(await res.text()).toContain(`Sitemap: ${BASE}/sitemap.xml`)
  })

  it('gives every page a title, a description, a canonical URL from the base URL, Open Graph and Twitter tags', async () => {
    at(BUILT_AT)
    for (const path of ['/', '/2026/03/', '/2026/', '/search/label/ORM', '/p/about.html', '/2025/06/select-related-vs-prefetch-related.html']) {
      const page = await get(path, { headers: { host: 'evil.example' } })
      const meta = (selector: string) => page.doc.querySelector(selector)?.getAttribute('content') ?? ''
      expect(page.doc.querySelector('html')?.getAttribute('lang'), path).toBe('en')
      expect(page.doc.querySelector('title')?.textContent, path).toMatch(/Backend Notes$/)
      expect(meta('meta[name=description]').length, path).toBeGreaterThan(10)
      expect(page.doc.querySelector('link[rel=canonical]')?.getAttribute('href'), path).toBe(`${BASE}${path}`)
      expect(meta('meta[property="og:url"]'), path).toBe(`${BASE}${path}`)
      expect(meta('meta[property="og:title"]').length, path).toBeGreaterThan(0)
      expect(meta('meta[name="twitter:card"]'), path).toBe('summary')
      expect(page.doc.querySelector('link[rel=alternate][type="application/atom+xml"]')?.getAttribute('href')).toBe(`${BASE}/feeds/posts/default`)
    }
  })

  it("names a page's one URL as canonical whatever parameters a reader's link added, keeping the ones that page reads", async () => {
    at(BUILT_AT)
    const post = '/2025/06/select-related-vs-prefetch-related.html'
    const canonical = async (path: string) => (await get(path)).doc.querySelector('link[rel=canonical]')?.getAttribute('href')
    expect(await canonical(`${post}?m=1&share=mastodon&utm_source=feed`)).toBe(`${BASE}${post}`)
    const date = encodeURIComponent(build.posts[3]?.date ?? '')
    expect(await canonical(`/search/label/Django?ref=sidebar&max-results=3&updated-max=${date}`)).toBe(
      `${BASE}/search/label/Django?max-results=3&updated-max=${date}`,
    )
  })

  it('links a label page to its feed, and paginated lists to the next page', async () => {
    at(BUILT_AT)
    const label = await get('/search/label/Django')
    const feeds = label.doc.querySelectorAll('link[rel=alternate]').map((l) => l.getAttribute('href'))
    expect(feeds).toContain(`${BASE}/feeds/posts/default/-/Django`)
    const next = label.doc.querySelector('link[rel=next]')?.getAttribute('href') ?? ''
    expect(next).toBe(`${BASE}${label.hrefs('a.older-link')[0]}`)
  })

  it('describes a post as a BlogPosting in JSON-LD', async () => {
    const page = await get('/2026/03/django-apps-vs-projects-explained.html')
    const data = JSON.parse(page.doc.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}')
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: 'Django Apps vs Projects Explained: A Complete Production Guide',
      datePublished: '2026-03-12T09:15:00-04:00',
      dateModified: '2026-03-12T09:15:00-04:00',
      author: { '@type': 'Person', name: 'Ines Calder' },
      url: `${BASE}/2026/03/django-apps-vs-projects-explained.html`,
      keywords: 'Django, Backend, Architecture',
    })
    expect(data.description.length).toBeGreaterThan(40)
    expect(page.doc.querySelector('meta[property="og:type"]')?.getAttribute('content')).toBe('article')
  })

  it('marks error pages noindex, without a canonical URL', async () => {
    const page = await get('/no/such/page')
    expect(page.doc.querySelector('link[rel=canonical]')).toBeNull()
    expect(page.doc.querySelector('meta[name=robots]')?.getAttribute('content')).toBe('noindex')
  })
})
