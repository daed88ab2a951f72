import type { FC } from 'hono/jsx'
import type { Site } from '../content/schema'
import { isAscii, narrowed } from '../markdown/ascii'
import { asciiText } from './characters'

/** What a page tells search engines, feed readers and link previews about itself. */
export interface PageMeta {
  /** The document title before the site's name; the home page has none. */
  title?: string
  description?: string
  /** The canonical path and query, normalised; absent on pages that should not be indexed. */
  path?: string
  type?: 'website' | 'article'
  /** The next page of a paginated list (older posts). */
  next?: string | null
  /** The previous page of a paginated list (newer posts). */
  prev?: string | null
  /** A label's feed, on that label's pages. */
  labelFeed?: { name: string; url: string }
  /** Structured data for the page, as schema.org JSON-LD. */
  jsonLd?: Record<string, unknown>
}

/**
 * JSON that is safe inside a script element: nothing in it can close the element or start a
 * comment, whatever the front matter says. All ASCII.
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value)
  const safe = json.replace(UNSAFE_IN_SCRIPT, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return isAscii(json) ? safe : narrowed(safe)
}

// One expression and one pass rather than five: each is compiled on an isolate's first page. It
// takes every character beyond ASCII (U+2028 and U+2029 among them), which keeps the page ASCII
// (src/markdown/ascii.ts): a script's text has no character references.
const UNSAFE_IN_SCRIPT = /[<>&\u0080-\uffff]/g

export const Meta: FC<{ site: Site; meta: PageMeta }> = ({ site, meta }) => {
  const title = meta.title ? `${meta.title} | ${site.title}` : site.title
  const description = meta.description ?? site.description
  const canonical = meta.path === undefined ? null : `${site.baseUrl}${meta.path}`
  return (
    <>
      <title>{asciiText(title)}</title>
      {description ? <meta name="description" content={asciiText(description)} /> : null}
      {canonical ? <link rel="canonical" href={canonical} /> : <meta name="robots" content="noindex" />}
      {meta.prev ? <link rel="prev" href={`${site.baseUrl}${meta.prev}`} /> : null}
      {meta.next ? <link rel="next" href={`${site.baseUrl}${meta.next}`} /> : null}
      <link rel="alternate" type="application/atom+xml" title={asciiText(`${site.title} (Atom)`)} href={`${site.baseUrl}/feeds/posts/default`} />
      <link rel="alternate" type="application/rss+xml" title={asciiText(`${site.title} (RSS)`)} href={`${site.baseUrl}/feeds/posts/default?alt=rss`} />
      {meta.labelFeed ? (
        <link rel="alternate" type="application/atom+xml" title={asciiText(`${site.title}: ${meta.labelFeed.name}`)} href={`${site.baseUrl}${meta.labelFeed.url}`} />
      ) : null}
      <meta property="og:site_name" content={asciiText(site.title)} />
      <meta property="og:title" content={asciiText(meta.title ?? site.title)} />
      {description ? <meta property="og:description" content={asciiText(description)} /> : null}
      <meta property="og:type" content={meta.type ?? 'website'} />
      {canonical ? <meta property="og:url" content={canonical} /> : null}
      <meta property="og:locale" content={site.language.replace('-', '_')} />
      <meta name="twitter:card" content="summary" />
      <meta name="twitter:title" content={asciiText(meta.title ?? site.title)} />
      {description ? <meta name="twitter:description" content={asciiText(description)} /> : null}
      {meta.jsonLd ? (
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(meta.jsonLd) }} />
      ) : null}
    </>
  )
}
