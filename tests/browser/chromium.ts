import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import axe from 'axe-core'
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { inject } from 'vitest'

/** Debian's Chromium; a test never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium'

/**
 * This machine has no network but loopback: without these, Chromium keeps trying to reach
 * Google's services, and each refused connection is noise in the logs.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Playwright gives every launch a fresh, empty profile. */
export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })

export const origin = (): string => inject('origin')

export const ARTIFACTS = join('test-results', 'browser')

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage })
}

export const PAGES = {
  home: '/',
  post: '/2026/03/understanding-django-models-and-orm.html',
  month: '/2026/03/',
  label: '/search/label/Django',
  notFound: '/2026/03/no-such-post.html',
} as const
export type PageName = keyof typeof PAGES

export const WIDTHS = [375, 1280] as const
export const SCHEMES = ['light', 'dark'] as const

export function viewport(width: number): BrowserContextOptions['viewport'] {
  return { width, height: width < 600 ? 812 : 800 }
}

/** Everything a page complained about: console errors, uncaught exceptions, CSP violations, failed loads. */
export interface Complaints {
  list: () => Promise<string[]>
}

/**
 * Starts listening before the page loads. `expectedStatus` lets the 404 page's own status pass:
 * Chromium logs the main document's 404 as a console error.
 */
export async function listen(page: Page, expectedDocumentUrl?: string): Promise<Complaints> {
  const found: string[] = []
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __cspViolations: string[] }).__cspViolations = seen
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`CSP ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`)
    })
  })
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return
    const where = message.location().url
    if (expectedDocumentUrl && where === expectedDocumentUrl && /status of 404/.test(message.text())) return
    found.push(`console ${message.type()}: ${message.text()} (${where})`)
  })
  page.on('pageerror', (error) => found.push(`uncaught: ${error.message}`))
  page.on('requestfailed', (request) => found.push(`failed: ${request.url()} ${request.failure()?.errorText}`))
  page.on('response', (response) => {
    if (response.status() >= 400 && response.url() !== expectedDocumentUrl) found.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  return {
    list: async () => {
      const csp = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
      return [...found, ...csp]
    },
  }
}

/** axe-core's verdict on the page as it is now, one line per failing rule and element. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axe.source)
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }))
  return results.violations.flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(' ')} — ${node.failureSummary?.replace(/\s+/g, ' ')}`))
}

/** The sum of layout shifts the page recorded since it started loading. */
export function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) total += entry.value
          }
        }).observe({ type: 'layout-shift', buffered: true })
        // Buffered entries arrive in the observer's first callback, queued as a task.
        setTimeout(() => resolve(total), 100)
      }),
  )
}

/** sRGB relative luminance of a computed CSS colour, per WCAG. */
export function luminance(cssColor: string): number {
  const [r, g, b] = (cssColor.match(/[\d.]+/g) ?? []).slice(0, 3).map((n) => {
    const c = Number(n) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
}

export async function bodyColors(page: Page): Promise<{ background: string; color: string }> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.body)
    return { background: style.backgroundColor, color: style.color }
  })
}
