import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { Asset } from '../../src/edge/assets'
import { get } from './html'
import { seed } from './seed'

beforeAll(async () => {
  await seed(env.CONTENT)
})

const POST = '/2026/03/understanding-django-models-and-orm.html'

describe('the theme', () => {
  it.each([
    ['script[src]', 'src', /^\/assets\/quire\.[0-9a-f]{8}\.js$/, 'text/javascript; charset=utf-8'],
    ['link[rel=icon]', 'href', /^\/assets\/favicon\.[0-9a-f]{8}\.svg$/, 'image/svg+xml'],
  ])('links %s under a hashed URL, served for a year', async (selector, attribute, pattern, type) => {
    const home = await get('/')
    const url = home.doc.querySelector(selector)?.getAttribute(attribute) ?? ''
    expect(url).toMatch(pattern)
    const file = await get(url)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe(type)
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(file.html.length).toBeGreaterThan(100)
  })

  it('answers an asset under a stale hash with the 404 page', async () => {
    const stale = await get('/assets/quire.00000000.js')
    expect(stale.status).toBe(404)
    expect(stale.text('.site-title')).toBe('Backend Notes')
  })

  it("changes an asset's URL when any byte of it changes, and has none before it is hashed", async () => {
    const hashed = async (body: string) => {
      const asset = new Asset('style', 'css', body, 'text/css')
      await asset.hash()
      return asset.path
    }
    const red = await hashed('a{color:red}')
    expect(red).toMatch(/^\/assets\/style\.[0-9a-f]{8}\.css$/)
    expect(await hashed('a{color:rad}')).not.toBe(red)
    expect(await hashed('a{color:red}')).toBe(red)
    expect(() => new Asset('style', 'css', 'a{color:red}', 'text/css').path).toThrow(/no hash yet/)
  })

  it('gives the theme toggle a pressed state, and the search box a label', async () => {
    const page = await get('/')
    expect(page.doc.querySelector('header button.theme-toggle')?.getAttribute('aria-pressed')).toBe('false')
    const input = page.doc.querySelector('form[role=search][action="/search"] input[name=q]')
    expect(page.text(`label[for="${input?.getAttribute('id')}"]`)).toBe('Search')
  })

  it('heads every list page with one h1', async () => {
    for (const path of ['/', '/2026/03/', '/search/label/Django']) {
      expect((await get(path)).doc.querySelectorAll('h1'), path).toHaveLength(1)
    }
  })

  it('gives each section heading of a post a link to itself', async () => {
    const page = await get(POST)
    // The footnotes' heading (src/markdown/footnotes.ts) is for screen readers only.
    const headings = page.doc
      .querySelectorAll('.post-body h2[id], .post-body h3[id], .post-body h4[id]')
      .filter((heading) => !heading.classList.contains('sr-only'))
    expect(headings.length).toBeGreaterThan(10)
    for (const heading of headings) {
      expect(heading.querySelector('a.anchor')?.getAttribute('href')).toBe(`#${heading.id}`)
    }
  })

  it('renders the table of contents closed, for phones', async () => {
    const page = await get(POST)
    expect(page.doc.querySelector('.toc details')?.hasAttribute('open')).toBe(false)
  })
})
