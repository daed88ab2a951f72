import { type HTMLElement, parse } from 'node-html-parser'
import { SELF } from 'cloudflare:test'

export const ORIGIN = 'https://backendnotes.example.com'

export interface Page {
  status: number
  headers: Headers
  html: string
  doc: HTMLElement
  text: (selector: string) => string
  texts: (selector: string) => string[]
  hrefs: (selector: string) => string[]
}

/** Fetches a path through the real Worker and parses the answer with a real HTML parser. */
export async function get(path: string, init?: RequestInit): Promise<Page> {
  const res = await SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', ...init })
  const html = await res.text()
  // By default the parser keeps <pre> as raw text; highlighted code is markup we inspect.
  const doc = parse(html, { blockTextElements: { script: true, style: true } })
  const clean = (s: string) => s.replace(/\s+/g, ' ').trim()
  return {
    status: res.status,
    headers: res.headers,
    html,
    doc,
    text: (selector) => clean(doc.querySelector(selector)?.textContent ?? ''),
    texts: (selector) => doc.querySelectorAll(selector).map((e) => clean(e.textContent)),
    hrefs: (selector) => doc.querySelectorAll(selector).map((e) => e.getAttribute('href') ?? ''),
  }
}
