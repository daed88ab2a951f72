import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { resetAfterEach } from './clock'
import { get, ORIGIN } from './html'
import { seed } from './seed'

// Pages are ASCII, the blog's own characters beyond it written as references
// (src/markdown/ascii.ts says why), and read back as the same text.

beforeAll(async () => {
  await seed(env.CONTENT)
})

resetAfterEach()

const ARROW_TITLE = 'How Django Works Internally: The Complete Request → Response Cycle'

describe('pages of a blog written in English', () => {
  it('are ASCII to the last byte, though titles, code and the theme have characters beyond it', async () => {
    const paths = [
      '/',
      '/2026/03/',
      '/search/label/Django',
      '/search?q=django',
      '/2026/03/how-django-works-internally.html',
      '/2026/03/django-apps-vs-projects-explained.html',
    ]
    for (const path of paths) {
      const res = await SELF.fetch(`${ORIGIN}${path}`)
      expect(res.status, path).toBe(200)
      const bytes = new Uint8Array(await res.arrayBuffer())
      const beyond = bytes.findIndex((byte) => byte >= 0x80)
      const around = new TextDecoder().decode(bytes.subarray(Math.max(0, beyond - 80), beyond + 20))
      expect(beyond, `${path}, at: ${around}`).toBe(-1)
    }
  })

  it('read back as the same text: the title in every place it is written, and code drawn with box characters', async () => {
    const page = await get('/2026/03/how-django-works-internally.html')
    expect(page.text('h1')).toBe(ARROW_TITLE)
    expect(page.text('title')).toContain(ARROW_TITLE)
    expect(page.doc.querySelector('meta[property="og:title"]')?.getAttribute('content')).toBe(ARROW_TITLE)
    const script = page.doc.querySelector('script[type="application/ld+json"]')
    const jsonLd = JSON.parse(script?.textContent ?? '{}') as { headline?: string }
    expect(jsonLd.headline).toBe(ARROW_TITLE)

    const tree = await get('/2026/03/django-apps-vs-projects-explained.html')
    const code = tree.texts('pre code').join('\n')
    expect(code).toMatch(/├── \w/)
    expect(code).toContain('└──')
    expect(tree.html).toContain('&#9500;&#9472;&#9472;')
  })
})
