import * as v from 'valibot'
import type { RenderedMarkdown, TocEntry, TrustedHtml } from '../markdown/render'
import { RENDERER_VERSION } from '../markdown/version'
import { renderKey } from './keys'
import { PageMetaSchema, PageSchema, type PageMeta, PostMetaSchema, PostSchema, type PostMeta } from './schema'

// A render as the render cache keeps it (DESIGN.md): the same bytes whether the publisher or the
// Worker made it. Shared by both, like the key names; reading and keeping renders is the Worker's
// (rendered.ts). A render stays right for as long as its key names it (the blob never changes, and
// the key holds the renderer's version), so it has no lifetime: `quire prune` deletes the renders
// that no kept version's blob or no longer this renderer needs.

const TocEntrySchema = v.object({ id: v.string(), text: v.string(), level: v.number() })
const RenderedPostSchema = v.object({ post: PostMetaSchema, html: v.string(), toc: v.array(TocEntrySchema) })
const RenderedPageSchema = v.object({ page: PageMetaSchema, html: v.string() })

export interface RenderedPost {
  post: PostMeta
  html: TrustedHtml
  toc: TocEntry[]
}

export interface RenderedPage {
  page: PageMeta
  html: TrustedHtml
}

/** What is kept for each kind of blob with Markdown: the blob's schema, and the render made of it. */
export const KINDS = {
  post: {
    blob: PostSchema,
    kept: RenderedPostSchema,
    make: (post: PostMeta, { html, toc }: RenderedMarkdown): RenderedPost => ({ post, html, toc }),
  },
  page: {
    blob: PageSchema,
    kept: RenderedPageSchema,
    make: (page: PageMeta, { html }: RenderedMarkdown): RenderedPage => ({ page, html }),
  },
}

export type Kind = keyof typeof KINDS

/**
 * A post's or a page's render as KV keeps it: everything but the HTML as one line of JSON, then the
 * HTML as it is. The HTML is most of the bytes; written into JSON, with every quote escaped, it
 * cost the first request for a long post a third of a millisecond, and every reading of it again.
 */
export function encodeRender({ html, ...rest }: { html: string }): string {
  return `${JSON.stringify(rest)}\n${html}`
}

/**
 * What encodeRender wrote, to be validated; JSON never holds a raw newline, so the first ends it. A
 * render kept in another form does not read, so it counts as missing and is made again.
 */
export function decodeRender(text: string): unknown {
  const end = text.indexOf('\n')
  if (end === -1) throw new Error('a kept render without its line of JSON')
  return { ...JSON.parse(text.slice(0, end)), html: text.slice(end + 1) }
}

/** A blob with Markdown rendered, as the render cache keeps it: the blob but its Markdown, and the render. */
export function renderBlob(kind: Kind, { markdown, ...rest }: { markdown: string }, render: (markdown: string) => RenderedMarkdown): RenderedPost | RenderedPage {
  return KINDS[kind].make(rest as PostMeta & PageMeta, render(markdown))
}

/**
 * The render of the blob `hash` (the text `blobText`), as the Worker would keep it: its key and its
 * text, the same bytes. The publisher keeps the renders of the posts and pages it uploads, so that
 * no reader waits for their Markdown. `render` is the Markdown module's, which the Worker loads only
 * when it must render.
 */
export function renderToKeep(kind: Kind, hash: string, blobText: string, render: (markdown: string) => RenderedMarkdown): { key: string; value: string } {
  const blob = v.parse(KINDS[kind].blob, JSON.parse(blobText))
  return { key: renderKey(RENDERER_VERSION, hash), value: encodeRender(renderBlob(kind, blob, render)) }
}
