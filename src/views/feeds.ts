import type { Site } from '../content/schema'

// Atom 1.0, RSS 2.0 and JSON Feed 1.1, built from the same entries.

export interface FeedEntry {
  /** Absolute URL of the post. */
  url: string
  /** Stable across republishing: a tag URI made of the host, the year and the path. */
  id: string
  title: string
  published: string
  updated: string
  author: string
  labels: string[]
  summary: string
  /** Rendered HTML with absolute URLs; absent in summary feeds. */
  html?: string
}

export interface FeedInfo {
  site: Site
  title: string
  /** Absolute URL of this feed. */
  selfUrl: string
  /** The page this feed follows, absolute. */
  pageUrl: string
  /** The next page of this feed, absolute, if there are more entries. */
  nextUrl: string | null
  /** Tag URI naming the feed. */
  id: string
  entries: FeedEntry[]
}

// XML 1.0 forbids C0 controls other than tab, newline and carriage return, U+FFFE and U+FFFF;
// a lone surrogate cannot be encoded at all. One stray character must not break a subscriber.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Text without the characters XML cannot carry. */
export const xmlSafe = (text: string): string => text.replace(XML_FORBIDDEN, '')

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Text escaped for XML element content and attribute values. */
export const xml = (text: string): string => xmlSafe(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch)

/** An entry's id: stable as long as its URL is. */
export function entryId(site: Site, path: string, published: string): string {
  return `tag:${new URL(site.baseUrl).host},${published.slice(0, 4)}:${path}`
}

/** RFC 822 with a 24-hour clock, as RSS wants: `Tue, 03 Mar 2026 13:30:00 GMT`. */
export const rfc822 = (iso: string): string => new Date(Date.parse(iso)).toUTCString()

export function atomFeed(feed: FeedInfo): string {
  const { site } = feed
  const updated = feed.entries.reduce((newest, e) => (Date.parse(e.updated) > Date.parse(newest) ? e.updated : newest), feed.entries[0]?.updated ?? '1970-01-01T00:00:00Z')
  const entries = feed.entries.map((e) =>
    [
      '<entry>',
      `<id>${xml(e.id)}</id>`,
      `<published>${xml(e.published)}</published>`,
      `<updated>${xml(e.updated)}</updated>`,
      `<title type="text">${xml(e.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xml(e.url)}"/>`,
      `<author><name>${xml(e.author)}</name></author>`,
      ...e.labels.map((l) => `<category term="${xml(l)}"/>`),
      `<summary type="text">${xml(e.summary)}</summary>`,
      e.html === undefined ? '' : `<content type="html">${xml(e.html)}</content>`,
      '</entry>',
    ].join(''),
  )
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(site.language)}">`,
    `<id>${xml(feed.id)}</id>`,
    `<title type="text">${xml(feed.title)}</title>`,
    site.description ? `<subtitle type="text">${xml(site.description)}</subtitle>` : '',
    `<updated>${xml(updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xml(feed.selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${xml(feed.pageUrl)}"/>`,
    feed.nextUrl ? `<link rel="next" type="application/atom+xml" href="${xml(feed.nextUrl)}"/>` : '',
    `<author><name>${xml(site.author)}</name></author>`,
    '<generator>Quire</generator>',
    ...entries,
    '</feed>',
  ].join('\n')
}

export function rssFeed(feed: FeedInfo): string {
  const { site } = feed
  const items = feed.entries.map((e) =>
    [
      '<item>',
      `<title>${xml(e.title)}</title>`,
      `<link>${xml(e.url)}</link>`,
      `<guid isPermaLink="false">${xml(e.id)}</guid>`,
      `<pubDate>${rfc822(e.published)}</pubDate>`,
      `<dc:creator>${xml(e.author)}</dc:creator>`,
      ...e.labels.map((l) => `<category>${xml(l)}</category>`),
      `<description>${xml(e.html ?? e.summary)}</description>`,
      '</item>',
    ].join(''),
  )
  const newest = feed.entries[0]
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${xml(feed.title)}</title>`,
    `<link>${xml(feed.pageUrl)}</link>`,
    `<description>${xml(site.description || site.title)}</description>`,
    `<language>${xml(site.language)}</language>`,
    newest ? `<lastBuildDate>${rfc822(newest.updated)}</lastBuildDate>` : '',
    `<atom:link href="${xml(feed.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    feed.nextUrl ? `<atom:link href="${xml(feed.nextUrl)}" rel="next" type="application/rss+xml"/>` : '',
    '<generator>Quire</generator>',
    ...items,
    '</channel>',
    '</rss>',
  ].join('\n')
}

export function jsonFeed(feed: FeedInfo): Record<string, unknown> {
  const { site } = feed
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: xmlSafe(feed.title),
    home_page_url: feed.pageUrl,
    feed_url: feed.selfUrl,
    ...(feed.nextUrl ? { next_url: feed.nextUrl } : {}),
    description: xmlSafe(site.description),
    language: site.language,
    authors: [{ name: xmlSafe(site.author) }],
    items: feed.entries.map((e) => ({
      id: e.id,
      url: e.url,
      title: xmlSafe(e.title),
      summary: xmlSafe(e.summary),
      ...(e.html === undefined ? { content_text: xmlSafe(e.summary) } : { content_html: xmlSafe(e.html) }),
      date_published: e.published,
      date_modified: e.updated,
      authors: [{ name: xmlSafe(e.author) }],
      tags: e.labels.map(xmlSafe),
    })),
  }
}
