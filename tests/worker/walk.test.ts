import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Build } from '../../src/build/build'
import { get } from './html'
import { BUILT_AT, seed } from './seed'

// Like ramen-api's validation suite: walk every real content file through the Worker.

let build: Build
const live = () => build.posts.filter((p) => Date.parse(p.date) <= BUILT_AT)

beforeAll(async () => {
  build = await seed(env.CONTENT, undefined, BUILT_AT)
})

describe('the sample content, walked through the Worker', () => {
  it('reaches every live post from its month archive and from each of its labels', async () => {
    for (const post of live()) {
      const month = await get(post.path.slice(0, 9))
      expect(month.hrefs('.post-outer h2 a'), post.path).toContain(post.path)
      const page = await get(post.path)
      expect(page.status, post.path).toBe(200)
      for (const labelHref of page.hrefs('.post .labels a')) {
        const label = await get(`${labelHref}?max-results=50`)
        expect(label.hrefs('.post-outer h2 a'), `${post.path} in ${labelHref}`).toContain(post.path)
      }
    }
  })

  it('answers 200 for every internal link on every page it can reach from the home page', async () => {
    const seen = new Set<string>(['/'])
    const queue = ['/']
    const broken: string[] = []
    while (queue.length > 0) {
      const path = queue.shift() as string
      const page = await get(path)
      if (page.status !== 200) {
        broken.push(`${path} → ${page.status}`)
        continue
      }
      for (const a of page.doc.querySelectorAll('a[href]')) {
        const href = a.getAttribute('href') ?? ''
        if (!href.startsWith('/') || href.startsWith('//')) continue
        const target = href.split('#')[0] as string
        if (!seen.has(target)) {
          seen.add(target)
          queue.push(target)
        }
      }
    }
    expect(broken).toEqual([])
    // Every live post, every month and every label was found by following links.
    for (const post of live()) expect(seen, post.path).toContain(post.path)
    expect(seen.size).toBeGreaterThan(live().length + 10)
  })
})
