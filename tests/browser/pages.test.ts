import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  axeViolations,
  bodyColors,
  launch,
  layoutShift,
  listen,
  luminance,
  origin,
  PAGES,
  type PageName,
  SCHEMES,
  screenshot,
  viewport,
  WIDTHS,
} from './chromium'

let browser: Browser

beforeAll(async () => {
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
})

const cases = (Object.keys(PAGES) as PageName[]).flatMap((name) =>
  WIDTHS.flatMap((width) => SCHEMES.map((scheme) => ({ name, width, scheme }))),
)

describe.each(cases)('$name at $width px, $scheme', ({ name, width, scheme }) => {
  it('fits the screen, passes axe, does not shift, and logs nothing', async () => {
    const context = await browser.newContext({ viewport: viewport(width), colorScheme: scheme })
    const page = await context.newPage()
    const url = `${origin()}${PAGES[name]}`
    const complaints = await listen(page, name === 'notFound' ? url : undefined)
    const response = await page.goto(url, { waitUntil: 'load' })
    expect(response?.status()).toBe(name === 'notFound' ? 404 : 200)

    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }))
    expect(scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(clientWidth)

    // The scheme really is the one asked for, in the page's own colours.
    const colors = await bodyColors(page)
    if (scheme === 'dark') {
      expect(luminance(colors.background)).toBeLessThan(0.05)
      expect(luminance(colors.color)).toBeGreaterThan(0.6)
    } else {
      expect(luminance(colors.background)).toBeGreaterThan(0.9)
      expect(luminance(colors.color)).toBeLessThan(0.05)
    }

    // Narrow screens stack the sidebar under the content; wide ones put it beside.
    const boxes = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect().toJSON() as DOMRect | undefined
      return { main: box('main'), sidebar: box('.sidebar') }
    })
    if (boxes.main && boxes.sidebar) {
      if (width < 600) expect(boxes.sidebar.top).toBeGreaterThanOrEqual(boxes.main.bottom)
      else expect(boxes.sidebar.left).toBeGreaterThanOrEqual(boxes.main.right)
    }

    expect(await layoutShift(page)).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    await screenshot(page, `${name}-${width}-${scheme}`, name !== 'post')
    expect(await complaints.list()).toEqual([])
    await context.close()
  })
})
