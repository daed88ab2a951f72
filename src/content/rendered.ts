import { RENDERER_VERSION } from '../markdown/version'
import { decodeRender, encodeRender, KINDS, type Kind, renderBlob, type RenderedPage, type RenderedPost } from './kept-render'
import { keepDerived, readBlobs, readDerived } from './kv'
import { renderKey } from './keys'

// The render cache of DESIGN.md: a post's Markdown rendered, kept in KV under the blob's hash and
// the renderer's version (kept-render.ts). A blob never changes, so neither does its render. The
// publisher keeps the render of every post and page it uploads; the Worker renders, and keeps,
// only what it finds missing (a renderer deployed since the publish, or a render deleted), and a
// new renderer simply starts its own keys.

export type { RenderedPage, RenderedPost } from './kept-render'

/** Hands a task to the runtime to finish after the response (the execution context's waitUntil). */
export type Defer = (task: Promise<unknown>) => void

/** The post stored as `blob:<hash>`, rendered: from the render cache, or rendered now and kept. */
export async function renderedPost(kv: KVNamespace, hash: string, defer: Defer): Promise<RenderedPost> {
  return (await renderedPosts(kv, [hash], defer))[0] as RenderedPost
}

/** Several posts rendered, for a feed: their kept renders read in one request. */
export function renderedPosts(kv: KVNamespace, hashes: string[], defer: Defer): Promise<RenderedPost[]> {
  return renderEach(kv, 'post', hashes, defer) as Promise<RenderedPost[]>
}

/** A static page stored as `blob:<hash>`, rendered. */
export async function renderedPage(kv: KVNamespace, hash: string, defer: Defer): Promise<RenderedPage> {
  return (await renderEach(kv, 'page', [hash], defer))[0] as RenderedPage
}

/**
 * The renders kept for the blobs `hashes`, read in one request; for each blob without one, its
 * Markdown (the blobs read together in one more request) rendered now and kept.
 */
async function renderEach(kv: KVNamespace, kind: Kind, hashes: string[], defer: Defer): Promise<(RenderedPost | RenderedPage)[]> {
  if (hashes.length === 0) return []
  const keys = hashes.map((hash) => renderKey(RENDERER_VERSION, hash))
  const kept = (await readDerived(kv, keys, KINDS[kind].kept, decodeRender)) as (RenderedPost | RenderedPage | null)[]
  const missing = hashes.filter((_, i) => !kept[i])
  if (missing.length === 0) return kept as (RenderedPost | RenderedPage)[]
  const blobs = await readBlobs(kv, missing, KINDS[kind].blob)
  const render = await markdownRenderer()
  const made = new Map<string, RenderedPost | RenderedPage>()
  missing.forEach((hash, i) => {
    const rendered = renderBlob(kind, blobs[i] as { markdown: string }, render)
    made.set(hash, rendered)
    defer(keepDerived(kv, renderKey(RENDERER_VERSION, hash), rendered, encodeRender)())
  })
  return hashes.map((hash, i) => kept[i] ?? (made.get(hash) as RenderedPost | RenderedPage))
}

/**
 * The Markdown module, loaded on the first render: marked, its extensions, the highlighter's
 * grammars and the HTML policy build their tables when loaded, and an isolate that serves cached
 * pages and kept renders never needs them, so it starts without them.
 */
async function markdownRenderer() {
  return (await import('../markdown/render')).renderMarkdown
}
