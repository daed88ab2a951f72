import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { launch, PAGES, SCHEMES } from './chromium'
import { startServer } from './server'

// The README's screenshots: the home page and a post, light and dark, in Debian's Chromium against
// wrangler dev serving the sample content. On demand:
//   node --import tsx tests/browser/screenshots.ts

const OUT = join('docs', 'screenshots')

await mkdir(OUT, { recursive: true })
const server = await startServer()
const browser = await launch()
try {
  for (const scheme of SCHEMES) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme })
    const page = await context.newPage()
    await page.goto(`${server.origin}/`)
    await page.screenshot({ path: join(OUT, `home-${scheme}.png`) })
    await page.goto(`${server.origin}${PAGES.post}`)
    // A stretch of the post with a heading, prose and highlighted code, rather than its first screen.
    await page.evaluate(() => {
      const heading = document.getElementById('killing-an-n1') ?? document.querySelector('.post-body h3')
      window.scrollTo({ top: (heading?.getBoundingClientRect().top ?? 0) + window.scrollY - 24, behavior: 'instant' })
    })
    await page.screenshot({ path: join(OUT, `post-${scheme}.png`) })
    await context.close()
  }
} finally {
  await browser.close()
  await server.stop()
}
console.log(`wrote ${OUT}/{home,post}-{light,dark}.png`)
