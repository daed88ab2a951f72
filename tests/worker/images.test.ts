import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ContentFiles } from '../../src/build/build'
import { blobKey } from '../../src/content/keys'
import { clearIsolateCache, readHead } from '../../src/content/kv'
import { SECURITY_HEADERS } from '../../src/edge/security'
import { resetAfterEach } from './clock'
import { get, ORIGIN } from './html'
import { bytesOf as bytes, sampleContent, seed } from './seed'

// The blog's own images: content/images/ published as blobs, served at /images/ (src/routes/images.ts).

const SVG = '/images/2025/gunicorn-behind-nginx.svg'
const PNG = '/images/diagrams/two-pixels.png'
/** A PNG of two pixels, green and red, made for this test. */
const PNG_DATA = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGP4z9DAwPAfAAkAAn9/7JfoAAAAAElFTkSuQmCC'
const PAGE_POLICY = new Map(SECURITY_HEADERS).get('content-security-policy')

const fetchImage = async (path: string, init?: RequestInit) => {
  const res = await SELF.fetch(`${ORIGIN}${path}`, init)
  return { res, body: new Uint8Array(await res.arrayBuffer()) }
}

function withPng(files: ContentFiles): ContentFiles {
  return { ...files, images: [...(files.images ?? []), { path: 'content/images/diagrams/two-pixels.png', name: 'diagrams/two-pixels.png', data: PNG_DATA }] }
}

resetAfterEach()

describe("the blog's images", () => {
  beforeAll(async () => {
    await seed(env.CONTENT, withPng(sampleContent()))
  })

  it('serves an image of content/images/ byte for byte, as KV keeps it, with its media type, then from the cache', async () => {
    const svgFile = sampleContent().images?.find((image) => image.name === '2025/gunicorn-behind-nginx.svg')
    expect(svgFile).toBeDefined()
    const cases: [string, string, string][] = [
      [SVG, 'image/svg+xml', svgFile?.data ?? ''],
      [PNG, 'image/png', PNG_DATA],
    ]
    for (const [path, type, data] of cases) {
      const first = await fetchImage(path)
      expect(first.res.status, path).toBe(200)
      expect(first.res.headers.get('content-type'), path).toBe(type)
      expect(first.body, path).toEqual(bytes(data))
      expect(first.res.headers.get('etag'), path).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{8}"$/)
      const again = await fetchImage(path)
      expect(again.res.headers.get('server-timing'), path).toBe('cache;desc="hit"')
      expect(again.body, path).toEqual(bytes(data))
    }
  })

  it('lets other sites and feed readers show an image, and runs nothing in an SVG opened on its own', async () => {
    const svg = (await fetchImage(SVG)).res.headers
    expect(svg.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(svg.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox")
    expect(svg.get('x-content-type-options')).toBe('nosniff')
    expect(svg.get('origin-agent-cluster')).toBeNull()
    const png = (await fetchImage(PNG)).res.headers
    expect(png.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(png.get('content-security-policy')).toBe(PAGE_POLICY)
    // Pages keep theirs.
    expect((await get('/')).headers.get('cross-origin-resource-policy')).toBe('same-origin')
  })

  it("answers a repeat visit with 304, with the image's own headers, which a browser merges into what it holds", async () => {
    const etag = (await fetchImage(SVG)).res.headers.get('etag') ?? ''
    const { res, body } = await fetchImage(SVG, { headers: { 'if-none-match': etag } })
    expect(res.status).toBe(304)
    expect(body.length).toBe(0)
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(res.headers.get('content-security-policy')).toContain('sandbox')
  })

  it('answers HEAD with the headers and no body', async () => {
    const { res, body } = await fetchImage(PNG, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(body.length).toBe(0)
  })

  it('shows the image in its post, and the feed points readers at it by its full URL', async () => {
    const post = await get('/2025/08/gunicorn-behind-nginx.html')
    const img = post.doc.querySelector('.post-body img')
    expect(img?.getAttribute('src')).toBe(SVG)
    expect(img?.getAttribute('alt')).toMatch(/^A request's path/)
    const feed = await (await SELF.fetch(`${ORIGIN}/feeds/posts/default`)).text()
    expect(feed).toContain(`src=&quot;https://backendnotes.example.com${SVG}&quot;`)
  })

  it('answers a name it does not hold, or no name, with the 404 page', async () => {
    for (const path of ['/images/2025/no-such.svg', '/images/', '/images/2025', '/images/constructor', '/images/__proto__', '/images/../p/x.svg']) {
      const page = await get(path)
      expect(page.status, path).toBe(404)
      expect(page.text('h1'), path).toBe('Page not found')
      // A page, with a page's headers: its style sheet loads, and it is not for other sites.
      expect(page.headers.get('content-security-policy'), path).toBe(PAGE_POLICY)
      expect(page.headers.get('cross-origin-resource-policy'), path).toBe('same-origin')
    }
  })

  it('answers 503, not a broken image, when KV has lost the blob, and names the key in the log only', async () => {
    const head = await readHead(env.CONTENT)
    const index = JSON.parse((await env.CONTENT.get(blobKey(head?.images ?? ''))) ?? '{}') as Record<string, { hash: string }>
    const hash = index['diagrams/two-pixels.png']?.hash ?? ''
    await env.CONTENT.delete(blobKey(hash))
    clearIsolateCache()
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const page = await get(`${PNG}?after-delete=1`)
      expect(page.status).toBe(503)
      expect(page.html).not.toContain(hash)
      expect(String(log.mock.calls.flat().join(' '))).toContain(blobKey(hash))
    } finally {
      await env.CONTENT.put(blobKey(hash), bytes(PNG_DATA))
    }
  })
})

describe('a blog without images', () => {
  it('has no images index, and /images/ is the 404 page', async () => {
    const { images: _, ...files } = sampleContent()
    const posts = files.posts.filter((post) => !post.text.includes('/images/'))
    const build = await seed(env.CONTENT, { ...files, posts })
    expect(build.head.images).toBeUndefined()
    expect(build.headJson).not.toContain('"images"')
    expect((await get(SVG)).status).toBe(404)
  })
})
