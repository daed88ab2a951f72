import type { Build } from '../build/build'
import { renderToKeep } from '../content/kept-render'
import { type RenderedMarkdown, renderMarkdown } from '../markdown/render'
import type { KvEntry } from './wrangler'

// The renders a publish keeps (DESIGN.md, the render cache): those of its new posts and pages, so
// that their first reader, in any data center, reads a render instead of waiting for Markdown to be
// rendered in a fresh isolate. An unchanged post's render was kept when it was new, or by the
// Worker since. When no publish or deploy has kept every render under this renderer (the first
// publish, or the first after an upgrade that changed it), the rest are kept too (keep-renders.ts).
// The Worker's tests seed KV with these functions, so this module imports nothing of Node's.

/** A post or page of the build, by the hash of its blob. */
export type Document = ['post' | 'page', string]

/** The posts and pages of `build` whose blobs are among `hashes` (every one when it is omitted). */
export function documentsOf(build: Build, hashes?: Set<string>): Document[] {
  const wanted = (hash: string) => !hashes || hashes.has(hash)
  return [
    ...build.posts.filter((post) => wanted(post.hash)).map((post): Document => ['post', post.hash]),
    ...build.head.pages.filter((page) => wanted(page.hash)).map((page): Document => ['page', page.hash]),
  ]
}

/**
 * The documents rendered, as the entries to upload, dated like blobs for `prune`. `blobs`: their
 * blobs' texts by hash (a build's). `known`: Markdown already rendered (by `check`, which times
 * every render), by its source.
 */
export function renderEntries(
  { blobs }: { blobs: Map<string, string> },
  documents: Document[],
  uploadedAt: number,
  known?: Map<string, RenderedMarkdown>,
): KvEntry[] {
  const render = (markdown: string) => known?.get(markdown) ?? renderMarkdown(markdown)
  return documents.map(([kind, hash]) => ({ ...renderToKeep(kind, hash, blobs.get(hash) ?? '', render), metadata: { uploadedAt } }))
}
