import { isLive, liveLabels, liveMonths } from '../content/queries'
import { readShard } from '../content/shards'
import { tagPage } from '../edge/cache'
import { xml } from '../views/feeds'
import { labelUrl, monthUrl, pageUrl } from '../views/urls'
import { headOf } from './head'
import { newApp } from './app'

// robots.txt and a sitemap index: one sitemap for the pages the head alone describes, and one per
// archive shard, so that no request reads more than one shard however big the blog grows.

const XML_TYPE = { 'content-type': 'application/xml; charset=utf-8' }

const urlEntry = (loc: string, lastmod?: string) =>
  `<url><loc>${xml(loc)}</loc>${lastmod ? `<lastmod>${xml(lastmod)}</lastmod>` : ''}</url>`

const urlSet = (entries: string[]) =>
  [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...entries,
    '</urlset>',
  ].join('\n')

/** Names an archive shard's sitemap by its hash, so the name changes only with its content. */
const shardSitemapPath = (hash: string) => `/sitemap-posts-${hash.slice(0, 16)}.xml`

export const seo = newApp()

seo.get('/robots.txt', (c) => {
  const { site } = headOf(c)
  tagPage(c, 'robots')
  // Search results and "older posts" pages repeat what posts and archives already say.
  return c.text(['User-agent: *', 'Disallow: /search?', 'Allow: /', '', `Sitemap: ${site.baseUrl}/sitemap.xml`, ''].join('\n'))
})

seo.get('/sitemap.xml', (c) => {
  const head = headOf(c)
  const now = c.get('now')
  const { baseUrl } = head.site
  tagPage(c, 'sitemap')
  const shards = head.archive.filter((shard) => isLive(shard.oldest, now))
  const newest = shards[0]?.months[0]?.lastmod
  const sitemaps = [
    `<sitemap><loc>${xml(`${baseUrl}/sitemap-pages.xml`)}</loc>${newest ? `<lastmod>${xml(newest)}</lastmod>` : ''}</sitemap>`,
    ...shards.map((shard) => {
      const lastmod = shard.months.map((m) => m.lastmod).sort((a, b) => Date.parse(b) - Date.parse(a))[0]
      return `<sitemap><loc>${xml(`${baseUrl}${shardSitemapPath(shard.hash)}`)}</loc>${lastmod ? `<lastmod>${xml(lastmod)}</lastmod>` : ''}</sitemap>`
    }),
  ]
  return c.body(
    ['<?xml version="1.0" encoding="utf-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...sitemaps, '</sitemapindex>'].join('\n'),
    200,
    XML_TYPE,
  )
})

seo.get('/sitemap-pages.xml', (c) => {
  const head = headOf(c)
  const now = c.get('now')
  const { baseUrl } = head.site
  tagPage(c, 'sitemap')
  const lastmodOf = new Map(head.archive.flatMap((s) => s.months.map((m) => [m.month, m.lastmod] as const)))
  const months = liveMonths(head, now)
  const entries = [
    urlEntry(`${baseUrl}/`, months[0] ? lastmodOf.get(months[0].month) : undefined),
    ...head.pages.map((p) => urlEntry(`${baseUrl}${pageUrl(p.slug)}`)),
    ...months.map((m) => urlEntry(`${baseUrl}${monthUrl(m.month)}`, lastmodOf.get(m.month))),
    ...liveLabels(head, now).map((l) => urlEntry(`${baseUrl}${labelUrl(l.name)}`)),
  ]
  return c.body(urlSet(entries), 200, XML_TYPE)
})

seo.get('/:file{sitemap-posts-[0-9a-f]{16}\\.xml}', async (c) => {
  const head = headOf(c)
  const now = c.get('now')
  const file = `/${c.req.param('file')}`
  const ref = head.archive.find((shard) => shardSitemapPath(shard.hash) === file)
  if (!ref) return c.notFound()
  tagPage(c, 'sitemap')
  const shard = await readShard(c.env.CONTENT, ref.hash)
  const entries = shard
    .posts()
    .filter((p) => isLive(p.date, now))
    .map((p) => urlEntry(`${head.site.baseUrl}${p.path}`, p.updated ?? p.date))
  return c.body(urlSet(entries), 200, XML_TYPE)
})
