import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContentFiles, SourceFile } from '../../src/build/build'
import { at, resetAfterEach } from './clock'
import { get } from './html'
import { seed } from './seed'

// A busy blog: twenty posts a month from January to March 2026, seven to a page.

const NOW = '2026-06-01T00:00:00Z'

function busyBlog(): ContentFiles {
  const posts: SourceFile[] = []
  for (const month of ['01', '02', '03']) {
    for (let day = 1; day <= 20; day++) {
      const dd = String(day).padStart(2, '0')
      posts.push({
        path: `content/posts/m${month}-d${dd}.md`,
        text: `---\ntitle: "Note ${month}-${dd}"\ndate: 2026-${month}-${dd}T09:00:00Z\nlabels: [Notes]\n---\nA short note.\n`,
      })
    }
  }
  return {
    site: { path: 'content/site.yaml', text: 'title: Busy\nauthor: Sam\nbaseUrl: https://busy.example.com\npostsPerPage: 7\n' },
    posts,
    pages: [],
  }
}

beforeAll(async () => {
  await seed(env.CONTENT, busyBlog(), Date.parse(NOW))
})

resetAfterEach()

const titles = (page: Awaited<ReturnType<typeof get>>) => page.texts('.post-outer h2 a')

describe('a month with more posts than a page holds', () => {
  it('pages through the month alone, each page headed as the month', async () => {
    at(NOW)
    const seen: string[] = []
    let path = '/2026/02/'
    const older: string[] = []
    for (let page = 1; page <= 3; page++) {
      const answer = await get(path)
      expect(answer.status, path).toBe(200)
      expect(answer.text('.status-msg')).toBe('Showing posts from February, 2026')
      seen.push(...titles(answer))
      const next = answer.hrefs('a.older-link')[0]
      if (page < 3) {
        expect(next).toMatch(/^\/2026\/02\/\?updated-max=[^&]+&max-results=7$/)
        older.push(next as string)
        path = next as string
      } else {
        expect(next).toBeUndefined()
      }
    }
    const february = Array.from({ length: 20 }, (_, i) => `Note 02-${String(20 - i).padStart(2, '0')}`)
    expect(seen).toEqual(february)
  })

  it('links an older page of the month back to the newer one', async () => {
    at(NOW)
    const first = await get('/2026/02/')
    const second = await get(first.hrefs('a.older-link')[0] ?? '')
    const newer = second.hrefs('a.newer-link')[0] ?? ''
    expect(newer).toMatch(/^\/2026\/02\/\?updated-min=/)
    const back = await get(newer)
    expect(back.text('.status-msg')).toBe('Showing posts from February, 2026')
    expect(titles(back)).toEqual(titles(first))
  })

  it('pages a year within the year', async () => {
    at(NOW)
    const first = await get('/2026/')
    expect(first.text('.status-msg')).toBe('Showing posts from 2026')
    expect(titles(first)).toHaveLength(7)
    expect(first.hrefs('a.older-link')[0]).toMatch(/^\/2026\/\?updated-max=/)
  })
})
