import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Build } from '../../src/build/build'
import { clearIsolateCache } from '../../src/content/kv'
import { blobKey, renderKey } from '../../src/content/keys'
import { decodeRender, encodeRender, renderToKeep } from '../../src/content/kept-render'
import { renderMarkdown } from '../../src/markdown/render'
import { RENDERER_VERSION } from '../../src/markdown/version'
import { resetAfterEach } from './clock'
import { get } from './html'
import { BUILT_AT, seed } from './seed'

// The render cache: what the Worker rendered from a post's Markdown, kept in KV under the post's
// blob hash and the renderer's version, and read instead of rendering again.

let build: Build
let requests = 0

beforeAll(async () => {
  build = await seed(env.CONTENT)
})

resetAfterEach()

/** A request no cache in front of the renderer has seen: a query of its own, a cold isolate. */
async function fresh(path: string) {
  clearIsolateCache()
  return get(`${path}?render-test=${++requests}`)
}

async function keptRender(hash: string): Promise<{ html: string; toc: unknown[]; post: { title: string } } | null> {
  for (let i = 0; i < 100; i++) {
    const text = await env.CONTENT.get(renderKey(RENDERER_VERSION, hash))
    try {
      if (text !== null) return decodeRender(text) as { html: string; toc: unknown[]; post: { title: string } }
    } catch {
      // Not a render yet: one written by a test, before the Worker replaces it.
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return null
}

const livePosts = () => build.posts.filter((p) => Date.parse(p.date) <= BUILT_AT)

function post(index: number) {
  const found = livePosts()[index]
  if (!found) throw new Error(`the sample blog has no live post ${index}`)
  return found
}

function markdownOf(hash: string): string {
  return (JSON.parse(build.blobs.get(hash) ?? '{}') as { markdown: string }).markdown
}

describe('the render cache', () => {
  it('keeps a post’s render in KV after its first request, with no lifetime (prune deletes it)', async () => {
    const { path, hash } = post(0)
    const page = await fresh(path)
    expect(page.status).toBe(200)
    const kept = await keptRender(hash)
    expect(kept?.post.title).toBe(post(0).title)
    expect(kept?.html).toBe(renderMarkdown(markdownOf(hash)).html)
    // The HTML is kept as it is, after a line of JSON, not escaped into JSON.
    const text = await env.CONTENT.get(renderKey(RENDERER_VERSION, hash))
    expect(text).toBe(`${JSON.stringify({ post: kept?.post, toc: kept?.toc })}\n${kept?.html}`)
    const listed = await env.CONTENT.list({ prefix: renderKey(RENDERER_VERSION, hash) })
    expect(listed.keys.map((key) => key.name)).toEqual([renderKey(RENDERER_VERSION, hash)])
    expect(listed.keys[0]?.expiration).toBeUndefined()
  })

  it('serves a kept render without reading the post or running Markdown again', async () => {
    const { path, hash } = post(1)
    await fresh(path)
    const kept = await keptRender(hash)
    if (!kept) throw new Error('no render was kept')
    // A marker only the kept render has: if the page shows it, the page came from the cache.
    const marked = { ...kept, html: `<p id="from-the-render-cache">kept</p>${kept.html}` }
    await env.CONTENT.put(renderKey(RENDERER_VERSION, hash), encodeRender(marked))
    const reads = vi.spyOn(env.CONTENT, 'get')
    const page = await fresh(path)
    expect(page.status).toBe(200)
    expect(page.doc.querySelector('#from-the-render-cache')).not.toBeNull()
    const keys = reads.mock.calls.map(([key]) => String(key))
    expect(keys).toContain(renderKey(RENDERER_VERSION, hash))
    expect(keys).not.toContain(blobKey(hash))
  })

  it('ignores renders of another renderer version', async () => {
    const { path, hash } = post(2)
    const stale = { post: { ...JSON.parse(build.blobs.get(hash) ?? '{}'), markdown: undefined }, html: '<p id="old-renderer">old</p>', toc: [] }
    await env.CONTENT.put(renderKey('older-renderer', hash), encodeRender(stale))
    const page = await fresh(path)
    expect(page.status).toBe(200)
    expect(page.doc.querySelector('#old-renderer')).toBeNull()
    expect(page.html).toContain(renderMarkdown(markdownOf(hash)).html.slice(0, 200))
  })

  it('renders again, and replaces it, when a kept render is malformed', async () => {
    const { path, hash } = post(3)
    await env.CONTENT.put(renderKey(RENDERER_VERSION, hash), '{"html": 42}')
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const page = await fresh(path)
    expect(page.status).toBe(200)
    expect(page.text('h1.post-title')).toBe(post(3).title)
    let replaced = null
    for (let i = 0; i < 100 && typeof replaced?.html !== 'string'; i++) {
      replaced = await keptRender(hash)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(replaced?.html).toBe(renderMarkdown(markdownOf(hash)).html)
  })

  it('still answers when KV fails to read or to keep a render', async () => {
    const { path, hash } = post(4)
    const get = env.CONTENT.get.bind(env.CONTENT)
    vi.spyOn(env.CONTENT, 'get').mockImplementation(((key: string, options: unknown) => {
      if (key.startsWith('render:')) return Promise.reject(new Error('KV is having a bad day'))
      return get(key, options as 'text')
    }) as typeof env.CONTENT.get)
    vi.spyOn(env.CONTENT, 'put').mockRejectedValue(new Error('too many writes'))
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const page = await fresh(path)
    expect(page.status).toBe(200)
    expect(page.text('h1.post-title')).toBe(post(4).title)
    expect(errors).toHaveBeenCalled()
  })

  it('renders a feed’s posts from their Markdown when reading their renders in bulk fails, and reads their blobs in one request', async () => {
    const get = env.CONTENT.get.bind(env.CONTENT)
    const reads = vi.spyOn(env.CONTENT, 'get').mockImplementation(((key: string | string[], options: unknown) => {
      const keys = Array.isArray(key) ? key : [key]
      if (keys.some((k) => k.startsWith('render:'))) return Promise.reject(new Error('KV is having a bad day'))
      return get(key as string, options as 'text')
    }) as typeof env.CONTENT.get)
    vi.spyOn(env.CONTENT, 'put').mockRejectedValue(new Error('too many writes'))
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const feed = await fresh('/feeds/posts/default/-/Django')
    expect(feed.status).toBe(200)
    const entries = feed.doc.querySelectorAll('entry')
    expect(entries.length).toBeGreaterThan(1)
    for (const entry of entries) expect(entry.querySelector('content')?.textContent.length).toBeGreaterThan(100)
    // The posts' blobs, all in one read of several keys (the shards are blobs too: not those).
    const postBlobs = new Set(build.posts.map((p) => `blob:${p.hash}`))
    const blobReads = reads.mock.calls.map(([key]) => key).filter((key) => Array.isArray(key) && key.every((k) => postBlobs.has(k)))
    expect(blobReads).toHaveLength(1)
    expect(blobReads[0]).toHaveLength(entries.length)
  })

  it('reads a full feed’s posts’ renders in one request once they are kept', async () => {
    const first = await fresh('/feeds/posts/default')
    expect(first.status).toBe(200)
    const shown = livePosts().slice(0, 25)
    for (const { hash } of shown) expect(await keptRender(hash)).not.toBeNull()
    const reads = vi.spyOn(env.CONTENT, 'get')
    const again = await fresh('/feeds/posts/default')
    expect(again.html).toBe(first.html.replaceAll(/render-test=\d+/g, (m) => m.replace(/\d+/, String(requests))))
    const derived = reads.mock.calls.map(([key]) => key).filter((key) => [key].flat().some((k) => k.startsWith('blob:') || k.startsWith('render:')))
    // The newest month's shard, then every entry's render at once; no post's Markdown.
    expect(derived).toHaveLength(2)
    expect(derived[1]).toEqual(shown.map(({ hash }) => renderKey(RENDERER_VERSION, hash)))
  })
})

describe('renders kept by the publisher', () => {
  it('are the bytes the Worker keeps for the same post and page', async () => {
    const { path, hash } = post(5)
    await fresh(path)
    const kept = await keptRender(hash)
    expect(kept).not.toBeNull()
    const workers = await env.CONTENT.get(renderKey(RENDERER_VERSION, hash))
    const publishers = renderToKeep('post', hash, build.blobs.get(hash) ?? '', renderMarkdown)
    expect(publishers).toEqual({ key: renderKey(RENDERER_VERSION, hash), value: workers })

    const page = build.head.pages[0]
    if (!page) throw new Error('the sample blog has no page')
    await fresh(`/p/${page.slug}.html`)
    let pageRender: string | null = null
    for (let i = 0; i < 100 && pageRender === null; i++) {
      pageRender = await env.CONTENT.get(renderKey(RENDERER_VERSION, page.hash))
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(renderToKeep('page', page.hash, build.blobs.get(page.hash) ?? '', renderMarkdown).value).toBe(pageRender)
  })

  it('are served to the first reader of a post, who reads no Markdown', async () => {
    const { path, hash } = post(6)
    const { key, value } = renderToKeep('post', hash, build.blobs.get(hash) ?? '', (markdown) => {
      const rendered = renderMarkdown(markdown)
      return { ...rendered, html: `<p id="kept-by-the-publisher">kept</p>${rendered.html}` as typeof rendered.html }
    })
    await env.CONTENT.put(key, value)
    const reads = vi.spyOn(env.CONTENT, 'get')
    const puts = vi.spyOn(env.CONTENT, 'put')
    const page = await fresh(path)
    expect(page.status).toBe(200)
    expect(page.doc.querySelector('#kept-by-the-publisher')).not.toBeNull()
    expect(reads.mock.calls.flatMap(([k]) => [k].flat())).not.toContain(blobKey(hash))
    expect(puts).not.toHaveBeenCalled()
  })
})
