import * as v from 'valibot'
import type { RenderedMarkdown, TocEntry, TrustedHtml } from '../markdown/render'
import { RENDERER_VERSION } from '../markdown/version'
import { keepDerived, readBlobs, readDerived } from './kv'
import { renderKey, sha256 } from './keys'
import { PageMetaSchema, PageSchema, type PageMeta, PostMetaSchema, PostSchema, type PostMeta } from './schema'

// The render cache of DESIGN.md: what the Worker rendered from a post's Markdown, kept in KV under
// the blob's hash and the renderer's version. A blob never changes, so neither does its render:
// after a publish, every unchanged post (in every data center) skips Markdown and costs one read,
// and a new renderer simply starts its own keys.

/** Hands a task to the runtime to finish after the response (the execution context's waitUntil). */
export type Defer = (task: Promise<unknown>) => void

// Renders expire by themselves rather than being pruned: a hot post is rendered again at most once
// a month, and the renders of posts no longer published disappear.
const POST_RENDER_TTL_S = 30 * 24 * 3600
// A feed's list of posts changes with every new post, so its renders are kept for less time.
const LIST_RENDER_TTL_S = 7 * 24 * 3600

const TocEntrySchema = v.object({ id: v.string(), text: v.string(), level: v.number() })
const RenderedPostSchema = v.object({ post: PostMetaSchema, html: v.string(), toc: v.array(TocEntrySchema) })
const RenderedListSchema = v.array(v.object({ post: PostMetaSchema, html: v.string() }))
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

/** The post stored as `blob:<hash>`, rendered: from the render cache, or rendered now and kept. */
export async function renderedPost(kv: KVNamespace, hash: string, defer: Defer): Promise<RenderedPost> {
  return (await renderedPostsEach(kv, [hash], defer))[0] as RenderedPost
}

/**
 * Several posts rendered, for a feed: kept together under the hash of their list, so that a feed
 * of 25 full posts is one read, not 25. Made from the posts' own renders when it is missing.
 */
export async function renderedPosts(kv: KVNamespace, hashes: string[], defer: Defer): Promise<Omit<RenderedPost, 'toc'>[]> {
  if (hashes.length === 0) return []
  const key = renderKey(RENDERER_VERSION, `list:${await sha256(hashes.join('\n'))}`)
  const [kept] = await readDerived(kv, [key], RenderedListSchema)
  if (kept) return kept as Omit<RenderedPost, 'toc'>[]
  const list = (await renderedPostsEach(kv, hashes, defer)).map(({ post, html }) => ({ post, html }))
  defer(keepDerived(kv, key, list, LIST_RENDER_TTL_S)())
  return list
}

function renderedPostsEach(kv: KVNamespace, hashes: string[], defer: Defer): Promise<RenderedPost[]> {
  return renderEach(kv, hashes, defer, RenderedPostSchema, PostSchema, (post, { html, toc }) => ({ post, html, toc }))
}

/** A static page stored as `blob:<hash>`, rendered. */
export async function renderedPage(kv: KVNamespace, hash: string, defer: Defer): Promise<RenderedPage> {
  const [page] = await renderEach(kv, [hash], defer, RenderedPageSchema, PageSchema, (page, { html }) => ({ page, html }))
  return page as RenderedPage
}

/**
 * The renders kept for the blobs `hashes`, read in one request; for each blob without one, its
 * Markdown (the blobs read together in one more request) rendered now, made into what is kept by
 * `make` (with the rest of the blob), and kept.
 */
async function renderEach<B extends { markdown: string }, R extends { html: string }>(
  kv: KVNamespace,
  hashes: string[],
  defer: Defer,
  keptSchema: v.GenericSchema,
  blobSchema: v.GenericSchema<unknown, B>,
  make: (rest: Omit<B, 'markdown'>, rendered: RenderedMarkdown) => R,
): Promise<R[]> {
  const keys = hashes.map((hash) => renderKey(RENDERER_VERSION, hash))
  const kept = (await readDerived(kv, keys, keptSchema, decodeRender)) as (R | null)[]
  const missing = hashes.filter((_, i) => !kept[i])
  if (missing.length === 0) return kept as R[]
  const blobs = await readBlobs(kv, missing, blobSchema)
  const render = await markdownRenderer()
  const made = new Map<string, R>()
  missing.forEach((hash, i) => {
    const { markdown, ...rest } = blobs[i] as B
    const rendered = make(rest, render(markdown))
    made.set(hash, rendered)
    defer(keepDerived(kv, renderKey(RENDERER_VERSION, hash), rendered, POST_RENDER_TTL_S, encodeRender)())
  })
  return hashes.map((hash, i) => kept[i] ?? (made.get(hash) as R))
}

/**
 * The Markdown module, loaded on the first render: marked, its extensions, the highlighter's
 * grammars and the HTML policy build their tables when loaded, and an isolate that serves cached
 * pages and kept renders never needs them, so it starts without them.
 */
async function markdownRenderer() {
  return (await import('../markdown/render')).renderMarkdown
}
