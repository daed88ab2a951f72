import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bodyColors, type Complaints, launch, listen, luminance, origin, PAGES, screenshot, viewport } from './chromium'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
})

const POST = PAGES.post

/** A page in a fresh context, listened to from the start. */
async function open(options: BrowserContextOptions & { width?: number } = {}): Promise<{ page: Page; complaints: Complaints }> {
  const { width = 1280, ...rest } = options
  const context = await browser.newContext({ viewport: viewport(width), ...rest })
  const page = await context.newPage()
  return { page, complaints: await listen(page) }
}

async function done(page: Page, complaints: Complaints): Promise<void> {
  expect(await complaints.list()).toEqual([])
  await page.context().close()
}

const isDark = async (page: Page) => luminance((await bodyColors(page)).background) < 0.05

/** Records the theme at the moment <body> is parsed: what the first paint would show. */
async function recordThemeAtBody(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __themeAtBody?: string | null }
    new MutationObserver((_, observer) => {
      if (!document.body) return
      w.__themeAtBody = document.documentElement.getAttribute('data-theme')
      observer.disconnect()
    }).observe(document, { childList: true, subtree: true })
  })
}
const themeAtBody = (page: Page) => page.evaluate(() => (window as unknown as { __themeAtBody?: string | null }).__themeAtBody)

describe('the theme toggle', () => {
  it('switches a light system to dark and back, remembers it across pages, and applies it before the first paint', async () => {
    const { page, complaints } = await open({ colorScheme: 'light' })
    await recordThemeAtBody(page)
    await page.goto(`${origin()}/`)
    const toggle = page.locator('button.theme-toggle')
    expect(await toggle.isVisible()).toBe(true)
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    expect(await isDark(page)).toBe(false)

    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await isDark(page)).toBe(true)
    expect(await page.evaluate(() => localStorage.getItem('quire-theme'))).toBe('dark')

    await page.goto(`${origin()}${POST}`)
    expect(await themeAtBody(page)).toBe('dark')
    expect(await isDark(page)).toBe(true)
    expect(await page.locator('button.theme-toggle').getAttribute('aria-pressed')).toBe('true')
    const darkKeyword = await page.locator('.post-body .hljs-keyword').first().evaluate((el) => getComputedStyle(el).color)

    // By keyboard this time.
    await page.locator('button.theme-toggle').focus()
    await page.keyboard.press('Enter')
    expect(await isDark(page)).toBe(false)
    const lightKeyword = await page.locator('.post-body .hljs-keyword').first().evaluate((el) => getComputedStyle(el).color)
    expect(lightKeyword).not.toBe(darkKeyword)

    await page.reload()
    expect(await themeAtBody(page)).toBe('light')
    expect(await isDark(page)).toBe(false)
    await done(page, complaints)
  })

  it('switches a dark system to light', async () => {
    const { page, complaints } = await open({ colorScheme: 'dark' })
    await page.goto(`${origin()}/`)
    const toggle = page.locator('button.theme-toggle')
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await isDark(page)).toBe(true)
    await toggle.click()
    expect(await isDark(page)).toBe(false)
    await page.goto(`${origin()}/2026/03/`)
    expect(await isDark(page)).toBe(false)
    expect(await page.locator('button.theme-toggle').getAttribute('aria-pressed')).toBe('false')
    await done(page, complaints)
  })
})

interface Focused {
  description: string
  focusVisible: boolean
  outline: string
  outlineWidth: number
  opacity: number
  inView: boolean
  inMain: boolean
}

/**
 * Waits until the page stops scrolling: the theme scrolls smoothly, focus included. A smooth
 * scroll starts on a later frame, so the position must hold still for a few samples.
 */
async function scrollSettled(page: Page): Promise<void> {
  let last = -1
  let still = 0
  for (let i = 0; i < 60 && still < 3; i++) {
    const y = await page.evaluate(() => window.scrollY)
    still = y === last ? still + 1 : 0
    last = y
    await page.waitForTimeout(100)
  }
}

const focused = async (page: Page): Promise<Focused> => {
  await scrollSettled(page)
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement
    const style = getComputedStyle(el)
    const box = el.getBoundingClientRect()
    return {
      description: `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`,
      focusVisible: el.matches(':focus-visible'),
      outline: style.outlineStyle,
      outlineWidth: Number.parseFloat(style.outlineWidth),
      opacity: Number(style.opacity),
      inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
      inMain: Boolean(document.querySelector('main')?.contains(el)),
    }
  })
}

describe.each([375, 1280])('the keyboard at %i px', (width) => {
  it('reaches the skip link first, skips to the content, then shows a focus ring on every stop', async () => {
    const { page, complaints } = await open({ width })
    await page.goto(`${origin()}${POST}`)

    await page.keyboard.press('Tab')
    const skip = await focused(page)
    expect(skip.description).toMatch(/^a\.skip-link "Skip to content"/)
    expect(skip).toMatchObject({ focusVisible: true, outline: 'solid', inView: true })
    expect(skip.outlineWidth).toBeGreaterThanOrEqual(2)
    await screenshot(page, `keyboard-skip-link-${width}`, false)

    await page.keyboard.press('Enter')
    expect(new URL(page.url()).hash).toBe('#main')
    for (let stop = 0; stop < 30; stop++) {
      await page.keyboard.press('Tab')
      const now = await focused(page)
      if (stop === 0) expect(now.inMain, now.description).toBe(true)
      expect(now, now.description).toMatchObject({ focusVisible: true, outline: 'solid', opacity: 1, inView: true })
      expect(now.outlineWidth, now.description).toBeGreaterThanOrEqual(2)
      if (stop === 4) await screenshot(page, `keyboard-focus-${width}`, false)
    }
    await done(page, complaints)
  })
})

async function settledTop(page: Page, id: string): Promise<number> {
  await scrollSettled(page)
  return page.evaluate((target) => document.getElementById(target)?.getBoundingClientRect().top ?? Number.NaN, id)
}

async function followTocLink(page: Page, index: number): Promise<void> {
  const link = page.locator('.toc a').nth(index)
  const id = decodeURIComponent((await link.getAttribute('href'))?.slice(1) ?? '')
  await link.click()
  expect(new URL(page.url()).hash).toBe(`#${encodeURIComponent(id)}`)
  const top = await settledTop(page, id)
  // Headings keep 1rem (16 px) above them when scrolled to.
  expect(Math.abs(top - 16), `heading #${id} ended ${top} px from the top`).toBeLessThanOrEqual(2)
}

describe('the table of contents', () => {
  it('is open on a wide screen, and each link brings its heading to the top', async () => {
    const { page, complaints } = await open({ width: 1280 })
    await page.goto(`${origin()}${POST}`)
    expect(await page.locator('.toc details').getAttribute('open')).not.toBeNull()
    const count = await page.locator('.toc a').count()
    expect(count).toBeGreaterThan(10)
    for (const index of [1, 4, Math.floor(count / 2), count - 3]) {
      await page.evaluate(() => window.scrollTo(0, 0))
      await followTocLink(page, index)
    }
    await done(page, complaints)
  })

  it('is collapsed on a phone, opens with a tap, and its links still work', async () => {
    const { page, complaints } = await open({ width: 375 })
    await page.goto(`${origin()}${POST}`)
    expect(await page.locator('.toc details').getAttribute('open')).toBeNull()
    expect(await page.locator('.toc a').first().isVisible()).toBe(false)
    await page.locator('.toc summary').click()
    expect(await page.locator('.toc a').first().isVisible()).toBe(true)
    await followTocLink(page, 5)
    await done(page, complaints)
  })
})

describe('code blocks', () => {
  it('copy their code with one click', async () => {
    const { page, complaints } = await open({ width: 1280 })
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: origin() })
    await page.goto(`${origin()}${POST}`)
    const block = page.locator('.post-body pre').nth(2)
    const button = block.locator('button.copy')
    await button.click()
    // The clipboard answers asynchronously.
    await expect.poll(() => button.textContent()).toBe('Copied')
    const code = await block.locator('code').textContent()
    expect(code?.length).toBeGreaterThan(20)
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code)
    await done(page, complaints)
  })

  it('scroll sideways inside themselves on a phone, and can be scrolled from the keyboard', async () => {
    const { page, complaints } = await open({ width: 375 })
    await page.goto(`${origin()}${POST}`)
    const wide = page.locator('.post-body pre > code[tabindex="0"]').first()
    expect(await wide.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
    // Where the copy button sits within its block.
    const buttonOffset = (code: typeof wide) =>
      code.evaluate((el) => {
        const block = el.parentElement?.getBoundingClientRect()
        const button = el.parentElement?.querySelector('button.copy')?.getBoundingClientRect()
        return block && button ? { top: button.top - block.top, right: block.right - button.right } : null
      })
    const before = await buttonOffset(wide)
    expect(before).not.toBeNull()
    await wide.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => wide.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
    // The copy button stays where it was while the code scrolls under it.
    expect(await buttonOffset(wide)).toEqual(before)
    await done(page, complaints)
  })
})

describe('heading anchors', () => {
  it('show on hover and on focus, and link to their heading', async () => {
    const { page, complaints } = await open({ width: 1280 })
    await page.goto(`${origin()}${POST}`)
    const heading = page.locator('.post-body h2[id]').nth(1)
    const anchor = heading.locator('a.anchor')
    const opacity = () => anchor.evaluate((el) => getComputedStyle(el).opacity)
    expect(await opacity()).toBe('0')
    await heading.hover()
    expect(await opacity()).toBe('1')
    await page.mouse.move(0, 0)
    expect(await opacity()).toBe('0')
    await anchor.focus()
    expect(await opacity()).toBe('1')
    expect(await anchor.getAttribute('href')).toBe(`#${await heading.getAttribute('id')}`)
    await done(page, complaints)
  })
})

describe('without JavaScript', () => {
  it('still reads well: the system scheme applies, no toggle or copy buttons show, and the contents open', async () => {
    const { page, complaints } = await open({ width: 375, colorScheme: 'dark', javaScriptEnabled: false })
    await page.goto(`${origin()}${POST}`)
    expect(await isDark(page)).toBe(true)
    expect(await page.locator('button.theme-toggle').isVisible()).toBe(false)
    expect(await page.locator('button.copy').count()).toBe(0)
    await page.locator('.toc summary').click()
    await followTocLink(page, 2)
    await done(page, complaints)
  })
})

describe('printing', () => {
  it('prints the article in black on white, without the navigation, even in dark mode', async () => {
    const { page, complaints } = await open({ width: 1280, colorScheme: 'dark' })
    await page.goto(`${origin()}${POST}`)
    await page.emulateMedia({ media: 'print' })
    expect(await isDark(page)).toBe(false)
    expect(luminance((await bodyColors(page)).background)).toBe(1)
    for (const selector of ['.sidebar', '.site-header nav', 'button.theme-toggle', '.toc', '.post-pager', 'button.copy']) {
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false)
    }
    expect(await page.locator('.post-body').isVisible()).toBe(true)
    await done(page, complaints)
  })
})

describe('the search box', () => {
  it('asks for /search?q=', async () => {
    const { page } = await open({ width: 375 })
    await page.goto(`${origin()}/`)
    await page.getByRole('searchbox', { name: 'Search' }).fill('select related')
    const request = page.waitForRequest((r) => new URL(r.url()).pathname === '/search')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    expect(new URL((await request).url()).searchParams.get('q')).toBe('select related')
    await page.context().close()
  })
})

describe("the blog's images", () => {
  it('shows a post\'s SVG diagram, drawn and within the column on a phone, with nothing blocked', async () => {
    const { page, complaints } = await open({ width: 375 })
    await page.goto(`${origin()}/2025/08/gunicorn-behind-nginx.html`)
    const image = page.locator('.post-body img[src="/images/2025/gunicorn-behind-nginx.svg"]')
    await image.scrollIntoViewIfNeeded()
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640)
    const [imageBox, bodyBox] = [await image.boundingBox(), await page.locator('.post-body').boundingBox()]
    expect(imageBox && bodyBox && imageBox.width <= bodyBox.width).toBe(true)
    await done(page, complaints)
  })

  it('opens an SVG on its own under its strict policy, which lets its own styles through', async () => {
    const { page, complaints } = await open()
    const response = await page.goto(`${origin()}/images/2025/gunicorn-behind-nginx.svg`)
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toContain('sandbox')
    expect(await page.locator('svg title').textContent()).toMatch(/^A request's path/)
    // The style sheet inside the file applied: the boxes are filled, not the default black.
    expect(await page.locator('svg rect').first().evaluate((rect) => getComputedStyle(rect).fill)).toBe('rgb(244, 241, 234)')
    await done(page, complaints)
  })
})
