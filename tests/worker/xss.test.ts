import { env, SELF } from 'cloudflare:test'
import { type HTMLElement, parse } from 'node-html-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentFiles, SourceFile } from '../../src/build/build'
import { jsonForScript } from '../../src/views/Meta'
import { ORIGIN } from './html'
import { seed } from './seed'
import { BODY_PAYLOADS, FRONT_MATTER_PAYLOADS } from './xss-payloads'

const yamlString = (s: string) => JSON.stringify(s)

function hostileBlog(): ContentFiles {
  const posts: SourceFile[] = BODY_PAYLOADS.map((payload, i) => ({
    path: `content/posts/body-${i}.md`,
    text: `---\ntitle: Body payload ${i}\ndate: 2026-01-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z\nlabels: [Hostile]\n---\nBefore.\n\n${payload}\n\nAfter.\n`,
  }))
  FRONT_MATTER_PAYLOADS.forEach((payload, i) => {
    posts.push({
      path: `content/posts/front-${i}.md`,
      text: `---\ntitle: ${yamlString(`Title ${payload}`)}\ndate: 2026-02-0${i + 1}T10:00:00Z\nlabels: [${yamlString(payload)}, Plain]\nsummary: ${yamlString(payload)}\n---\nBody.\n`,
    })
  })
  return {
    site: {
      path: 'content/site.yaml',
      text: `title: ${yamlString('Site <script>alert(1)</script>')}\ndescription: ${yamlString('"><svg onload=alert(1)>')}\nauthor: ${yamlString('<img src=x onerror=alert(1)>')}\nbaseUrl: https://hostile.example.com\n`,
    },
    posts,
    pages: [{ path: 'content/pages/about.md', text: `---\ntitle: ${yamlString('<script>alert(1)</script>')}\n---\n${BODY_PAYLOADS.slice(0, 20).join('\n\n')}\n` }],
  }
}

const DANGEROUS_SCHEME = /^(javascript|vbscript|data|livescript|mocha):/
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'data']
const FORBIDDEN_ELEMENTS = ['script:not([type="application/ld+json"]):not([src^="/assets/"])', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'base', 'form:not([action="/search"])', 'meta[http-equiv]', 'link[href^="javascript"]', 'template', 'textarea']

/** Everything in a page that could run script, described for the failure message. */
function scriptVectors(doc: HTMLElement): string[] {
  const found: string[] = []
  for (const selector of FORBIDDEN_ELEMENTS) {
    for (const el of doc.querySelectorAll(selector)) {
      // The layout's own stylesheet link is the only link element with an href.
      found.push(`<${el.rawTagName}> element`)
    }
  }
  // Structured data is the one inline script element: it must hold nothing but JSON.
  for (const el of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      JSON.parse(el.textContent)
    } catch {
      found.push(`JSON-LD that is not JSON: ${el.textContent.slice(0, 80)}`)
    }
  }
  for (const el of doc.querySelectorAll('*')) {
    for (const [name, value] of Object.entries(el.attributes)) {
      const lower = name.toLowerCase()
      if (lower.startsWith('on')) found.push(`${lower} attribute on <${el.rawTagName}>`)
      if (lower === 'style') found.push(`style attribute on <${el.rawTagName}>`)
      if (URL_ATTRIBUTES.includes(lower)) {
        // Browsers ignore whitespace and control characters and case in a scheme.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
        const plain = value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
        if (DANGEROUS_SCHEME.test(plain)) found.push(`${lower}="${value}" on <${el.rawTagName}>`)
      }
    }
  }
  return found
}

async function page(path: string): Promise<{ status: number; doc: HTMLElement; html: string }> {
  const res = await SELF.fetch(`${ORIGIN}${path}`)
  const html = await res.text()
  return { status: res.status, html, doc: parse(html, { blockTextElements: { script: true, style: true } }) }
}

let paths: string[] = []

beforeAll(async () => {
  const build = await seed(env.CONTENT, hostileBlog(), Date.parse('2026-06-01T00:00:00Z'))
  paths = build.posts.map((p) => p.path)
})

describe('hostile content and requests', () => {
  it(`has at least 50 payloads`, () => {
    expect(BODY_PAYLOADS.length + FRONT_MATTER_PAYLOADS.length).toBeGreaterThanOrEqual(50)
  })

  it('never lets a payload in a post body run script', async () => {
    for (const path of paths) {
      const { status, doc } = await page(path)
      expect(status, path).toBe(200)
      expect(scriptVectors(doc), path).toEqual([])
      // The text after each payload survives. (Unbalanced raw HTML is the author's to fix, so the
      // whole document is searched rather than the post body.)
      if (path.includes('body-')) expect(doc.textContent, path).toContain('After.')
    }
  })

  it('keeps safe links and markup working', async () => {
    const links = ['[docs](https://docs.example.com/a?b=1)', '[rel](/2026/01/x.html)', '<a href="mailto:a@example.com">mail</a>', '<kbd>Ctrl</kbd>']
    const files = hostileBlog()
    files.posts.push({ path: 'content/posts/safe.md', text: `---\ntitle: Safe\ndate: 2026-03-01T10:00:00Z\n---\n${links.join('\n\n')}\n` })
    await seed(env.CONTENT, files, Date.parse('2026-06-01T00:00:00Z'))
    const { doc } = await page('/2026/03/safe.html')
    expect(doc.querySelectorAll('.post-body a').map((a) => a.getAttribute('href'))).toEqual([
      'https://docs.example.com/a?b=1',
      '/2026/01/x.html',
      'mailto:a@example.com',
    ])
    expect(doc.querySelector('.post-body kbd')?.textContent).toBe('Ctrl')
  })

  it('escapes front-matter values everywhere they appear: titles, labels, summaries, the site', async () => {
    const lists = ['/', '/2026/02/', '/2026/', '/search/label/Plain', '/p/about.html']
    for (const path of [...lists, ...paths.filter((p) => p.includes('front-'))]) {
      const { status, doc } = await page(path)
      expect(status, path).toBe(200)
      expect(scriptVectors(doc), path).toEqual([])
    }
    const { doc } = await page('/2026/02/front-0.html')
    expect(doc.querySelector('h1.post-title')?.textContent).toBe('Title <script>alert(1)</script>')
    expect(doc.querySelector('.site-title')?.textContent).toBe('Site <script>alert(1)</script>')
    const jsonLd = JSON.parse(doc.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}')
    expect(jsonLd.headline).toBe('Title <script>alert(1)</script>')
    const breakout = await page('/2026/02/front-4.html')
    expect(JSON.parse(breakout.doc.querySelector('script[type="application/ld+json"]')?.textContent ?? '{}').headline).toBe(
      'Title </title><script>alert(1)</script>',
    )
  })

  it('writes structured data that cannot end its script element or start a comment', () => {
    const value = { headline: '</script><!-- & \u2028 \u2029 -->' }
    const text = jsonForScript(value)
    expect(text).toBe('{"headline":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029 --\\u003e"}')
    expect(JSON.parse(text)).toEqual(value)
  })

  it('serves pages for hostile label names, escaped', async () => {
    for (const label of FRONT_MATTER_PAYLOADS) {
      const { status, doc } = await page(`/search/label/${encodeURIComponent(label)}`)
      expect(status, label).toBe(200)
      expect(scriptVectors(doc), label).toEqual([])
      expect(doc.querySelector('.status-msg strong')?.textContent).toBe(label)
    }
  })

  it('escapes what the request says: paths on the 404 page and query strings', async () => {
    const requests = [
      '/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
      "/'%3E%3Csvg%20onload%3Dalert(1)%3E",
      '/search?updated-max=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '/search/label/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '/search/label/Plain?updated-max=%22%3E%3Cscript%3E',
      '/2026/01/%3Cscript%3E.html',
      '/p/%3Csvg%20onload=alert(1)%3E.html',
      '/?utm_source=%3Cscript%3Ealert(1)%3C/script%3E',
      '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      '/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    ]
    for (const path of requests) {
      const { status, doc } = await page(path)
      expect(status, path).toBeLessThan(500)
      expect(scriptVectors(doc), path).toEqual([])
    }
  })
})
