import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Build } from '../../src/build/build'
import { clearIsolateCache } from '../../src/content/kv'
import { at, resetAfterEach } from './clock'
import { get } from './html'
import { BUILT_AT, seed } from './seed'

let build: Build

beforeAll(async () => {
  build = await seed(env.CONTENT)
})

resetAfterEach()


const SCHEDULED = '/2027/01/connection-pooling-for-django.html'
const DRAFT = '/2026/11/notes-on-upgrading-django.html'

describe('home', () => {
  it('lists the newest posts, each with its date, labels and a snippet', async () => {
    at('2026-11-26T12:00:00Z')
    const page = await get('/')
    expect(page.status).toBe(200)
    const titles = page.hrefs('.post-outer h2 a')
    expect(titles).toHaveLength(7)
    expect(titles[0]).toBe('/2026/10/async-views-in-django.html')
    for (const post of page.doc.querySelectorAll('.post-outer')) {
      expect(post.querySelector('time')?.getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/)
      expect(post.querySelector('.snippet')?.textContent.length).toBeGreaterThan(40)
      expect(post.querySelectorAll('.labels a').length).toBeGreaterThan(0)
    }
    const snippets = page.texts('.snippet')
    // Posts without a summary get Blogger's snippet; posts with one show it.
    expect(snippets.filter((s) => s.endsWith('...')).length).toBeGreaterThan(0)
    expect(snippets.join(' ')).not.toMatch(/```|<code|\*\*/)
  })

  it('links to older posts, and that page lists the rest without repeats', async () => {
    at('2026-11-26T12:00:00Z')
    const home = await get('/')
    const older = home.hrefs('a.older-link')[0] ?? ''
    const lastShown = home.doc.querySelectorAll('.post-outer time').at(-1)?.getAttribute('datetime') ?? ''
    expect(older).toBe(`/search?updated-max=${encodeURIComponent(lastShown)}&max-results=7`)
    const next = await get(older)
    expect(next.status).toBe(200)
    const rest = next.hrefs('.post-outer h2 a')
    const first = home.hrefs('.post-outer h2 a')
    expect(rest).toHaveLength(13 - 7)
    expect(rest.filter((p) => first.includes(p))).toEqual([])
    expect(next.hrefs('a.older-link')).toEqual([])
  })

  it('reads an updated-max whose offset kept its + unescaped, as a hand-made link may', async () => {
    at('2026-11-26T12:00:00Z')
    const home = await get('/')
    const lastShown = home.doc.querySelectorAll('.post-outer time').at(-1)?.getAttribute('datetime') ?? ''
    const inUtc = `${new Date(lastShown).toISOString().slice(0, 19)}+00:00`
    const escaped = await get(`/search?updated-max=${encodeURIComponent(lastShown)}&max-results=7`)
    const raw = await get(`/search?updated-max=${inUtc}&max-results=7`)
    expect(raw.status).toBe(200)
    expect(raw.hrefs('.post-outer h2 a')).toEqual(escaped.hrefs('.post-outer h2 a'))
    expect(raw.hrefs('.post-outer h2 a').length).toBeGreaterThan(0)
  })

  it('answers a malformed updated-max with 400, in the layout', async () => {
    const page = await get('/search?updated-max=yesterday')
    expect(page.status).toBe(400)
    expect(page.text('.site-title')).toBe('Backend Notes')
    expect(page.text('main')).toContain('updated-max must be a date')
  })
})

describe('a post', () => {
  const path = '/2026/03/understanding-django-models-and-orm.html'

  it('shows title, date in the site time zone, author, labels, reading time and the body', async () => {
    const page = await get(path)
    expect(page.status).toBe(200)
    expect(page.text('h1.post-title')).toBe('Understanding Django Models and ORM: A Complete Production Guide')
    expect(page.text('.post-meta time')).toBe('Tuesday, March 3, 2026')
    expect(page.text('.post-meta .author')).toBe('Ines Calder')
    expect(page.text('.post-meta')).toMatch(/\d+ min read/)
    expect(page.hrefs('.post .labels a')).toEqual([
      '/search/label/Django',
      '/search/label/ORM',
      '/search/label/Python',
      '/search/label/Performance',
    ])
    expect(page.doc.querySelector('title')?.textContent).toBe(
      'Understanding Django Models and ORM: A Complete Production Guide | Backend Notes',
    )
  })

  it('has a table of contents whose every entry links to a heading on the page', async () => {
    const page = await get(path)
    const targets = page.hrefs('.toc a')
    expect(page.texts('.toc a')).toEqual(expect.arrayContaining(['Introduction', 'Core Concepts', 'Conclusion']))
    expect(targets.length).toBeGreaterThanOrEqual(11)
    for (const target of targets) {
      expect(target).toMatch(/^#/)
      expect(page.doc.querySelector(`.post-body [id="${target.slice(1)}"]`), target).not.toBeNull()
    }
  })

  it('highlights code on the server and needs no script to show it', async () => {
    const page = await get(path)
    expect(page.doc.querySelectorAll('pre code.language-python').length).toBeGreaterThan(3)
    expect(page.doc.querySelectorAll('pre code .hljs-keyword').length).toBeGreaterThan(10)
    // Only structured data and same-origin files: nothing inline that runs.
    for (const script of page.doc.querySelectorAll('script')) {
      const type = script.getAttribute('type')
      const src = script.getAttribute('src')
      expect(type === 'application/ld+json' || (src?.startsWith('/assets/') && script.textContent === '')).toBe(true)
    }
  })

  it('renders GFM: a table, a task list and a footnote', async () => {
    const page = await get(path)
    expect(page.doc.querySelector('.post-body table')).not.toBeNull()
    expect(page.doc.querySelectorAll('.post-body input[type=checkbox]').length).toBeGreaterThan(0)
    expect(page.doc.querySelector('.post-body section.footnotes')).not.toBeNull()
  })

  it('links to the previous and next posts, across months', async () => {
    const page = await get(path)
    expect(page.hrefs('.post-pager a.newer-link')).toEqual(['/2026/03/django-apps-vs-projects-explained.html'])
    expect(page.hrefs('.post-pager a.older-link')).toEqual(['/2026/02/caching-django-views-with-redis.html'])
  })

  it('has no newer link on the newest live post, though a scheduled post follows it', async () => {
    at('2026-11-26T12:00:00Z')
    const page = await get('/2026/10/async-views-in-django.html')
    expect(page.hrefs('.post-pager a.newer-link')).toEqual([])
    expect(page.hrefs('.post-pager a.older-link')).toEqual(['/2026/08/structured-logging-for-python-services.html'])
  })
})

describe('archives', () => {
  it('heads a month exactly as Blogger does and lists its posts newest first', async () => {
    const page = await get('/2026/03/')
    expect(page.status).toBe(200)
    expect(page.text('.status-msg')).toBe('Showing posts from March, 2026')
    expect(page.hrefs('.post-outer h2 a')).toEqual([
      '/2026/03/how-django-works-internally.html',
      '/2026/03/django-apps-vs-projects-explained.html',
      '/2026/03/understanding-django-models-and-orm.html',
    ])
    expect(page.doc.querySelector('title')?.textContent).toBe('March 2026 | Backend Notes')
  })

  it('heads a year and lists its posts', async () => {
    const page = await get('/2025/')
    expect(page.status).toBe(200)
    expect(page.text('.status-msg')).toBe('Showing posts from 2025')
    expect(page.hrefs('.post-outer h2 a')).toHaveLength(5)
    expect(page.hrefs('.post-outer h2 a').every((href) => href.startsWith('/2025/'))).toBe(true)
  })

  it('redirects archive URLs without the trailing slash', async () => {
    const page = await get('/2026/03')
    expect(page.status).toBe(301)
    expect(page.headers.get('location')).toBe('/2026/03/')
  })

  it("sends Blogger's classic month and week archives to their month", async () => {
    for (const path of ['/2026_03_01_archive.html', '/2026_03_22_archive.html']) {
      const page = await get(path)
      expect(page.status, path).toBe(301)
      expect(page.headers.get('location'), path).toBe('/2026/03/')
    }
    expect((await get('/2026_13_01_archive.html')).status).toBe(404)
    expect((await get('/2026_03_01_archive.htm')).status).toBe(404)
  })
})

describe('labels', () => {
  it('heads a label page as Blogger does, with a link to all posts', async () => {
    const page = await get('/search/label/Security')
    expect(page.status).toBe(200)
    expect(page.text('.status-msg')).toBe('Showing posts with label Security. Show all posts')
    expect(page.hrefs('.status-msg a')).toEqual(['/'])
    expect(page.hrefs('.post-outer h2 a')).toEqual(['/2025/12/csrf-sessions-and-cookies.html'])
  })

  it('matches label names case-insensitively and shows them as the author wrote them', async () => {
    const page = await get('/search/label/dJANGO')
    expect(page.status).toBe(200)
    expect(page.text('.status-msg strong')).toBe('Django')
  })

  it('pages through a label with more posts than a page holds', async () => {
    at('2026-11-26T12:00:00Z')
    const first = await get('/search/label/Django')
    expect(first.hrefs('.post-outer h2 a')).toHaveLength(7)
    const older = first.hrefs('a.older-link')[0] ?? ''
    expect(older).toMatch(/^\/search\/label\/Django\?updated-max=/)
    const second = await get(older)
    const django = build.posts.filter((p) => Date.parse(p.date) <= BUILT_AT).length
    expect(second.hrefs('.post-outer h2 a').length).toBe(11 - 7)
    expect(django).toBe(13)
  })
})

describe('every page', () => {
  it('has the header, the static pages, the Blog Archive and Labels widgets with counts, and a footer', async () => {
    at('2026-11-26T12:00:00Z')
    const page = await get('/2025/')
    expect(page.text('.site-title')).toBe('Backend Notes')
    expect(page.text('.site-description')).toContain('Django')
    expect(page.hrefs('.site-header nav a')).toEqual(['/', '/p/about.html'])
    expect(page.texts('.archive-widget summary')).toEqual(['2026 (8)', '2025 (5)'])
    // A 2025 page opens 2025.
    expect(page.texts('.archive-widget details[open] summary')).toEqual(['2025 (5)'])
    expect(page.texts('.archive-widget details[open] li')).toEqual([
      'December (1)',
      'October (1)',
      'August (2)',
      'June (1)',
    ])
    expect(page.texts('.labels-widget li')).toContain('Django (11)')
    expect(page.texts('.labels-widget li')).toContain('Security (1)')
    expect(page.text('.site-footer')).toContain('Ines Calder')
  })

  it('opens the newest year on the home page', async () => {
    at('2026-11-26T12:00:00Z')
    const page = await get('/')
    expect(page.texts('.archive-widget details[open] summary')).toEqual(['2026 (8)'])
  })
})

describe('static pages', () => {
  it('serves the About page', async () => {
    const page = await get('/p/about.html')
    expect(page.status).toBe(200)
    expect(page.text('h1.post-title')).toBe('About')
    expect(page.hrefs('.post-body a').some((href) => href.startsWith('mailto:'))).toBe(true)
  })
})

describe('drafts and scheduled posts', () => {
  it('never shows a draft', async () => {
    expect((await get(DRAFT)).status).toBe(404)
    expect((await get('/2026/11/')).status).toBe(404)
    expect(build.posts.map((p) => p.path)).not.toContain(DRAFT)
  })

  it('hides a scheduled post everywhere until its time, then shows it everywhere, with no publish', async () => {
    at('2027-01-12T13:59:59Z')
    expect((await get(SCHEDULED)).status).toBe(404)
    expect((await get('/')).hrefs('.post-outer h2 a')).not.toContain(SCHEDULED)
    expect((await get('/2027/01/')).status).toBe(404)
    expect((await get('/2027/')).status).toBe(404)
    expect((await get('/search/label/PostgreSQL')).hrefs('.post-outer h2 a')).not.toContain(SCHEDULED)
    const before = await get('/2026/10/async-views-in-django.html')
    expect(before.hrefs('a.newer-link')).toEqual([])
    expect(before.texts('.archive-widget summary')).toEqual(['2026 (8)', '2025 (5)'])
    expect(before.texts('.labels-widget li')).toContain('Django (11)')

    at('2027-01-12T14:00:00Z')
    expect((await get(SCHEDULED)).status).toBe(200)
    expect((await get('/')).hrefs('.post-outer h2 a')[0]).toBe(SCHEDULED)
    expect((await get('/2027/01/')).hrefs('.post-outer h2 a')).toEqual([SCHEDULED])
    expect((await get('/search/label/PostgreSQL')).hrefs('.post-outer h2 a')[0]).toBe(SCHEDULED)
    const after = await get('/2026/10/async-views-in-django.html')
    expect(after.hrefs('a.newer-link')).toEqual([SCHEDULED])
    expect(after.texts('.archive-widget summary')).toEqual(['2027 (1)', '2026 (8)', '2025 (5)'])
    expect(after.texts('.labels-widget li')).toContain('Django (12)')
  })
})

describe('not found and malformed URLs', () => {
  const missing = [
    '/nope',
    '/2026/03/no-such-post.html',
    '/2026/13/',
    '/2026/00/',
    '/1999/',
    '/2019/07/',
    '/search/label/NoSuchLabel',
    '/p/nope.html',
    '/%2e%2e/%2e%2e/etc/passwd',
    `/2026/03/${'a'.repeat(600)}.html`,
    '/2026/03/%00.html',
    '/%00',
    '/2026/03/UPPER.html',
    '/search/label/%E0%A4%A',
  ]
  for (const path of missing) {
    it(`answers ${path.slice(0, 60)} with the 404 page`, async () => {
      const page = await get(path)
      expect([400, 404]).toContain(page.status)
      expect(page.text('.site-title')).toBe('Backend Notes')
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    })
  }

  it('never lets dot segments escape: /%2e%2e/ resolves to the home page before the Worker sees it', async () => {
    const page = await get('/%2e%2e/')
    expect(page.status).toBe(200)
    expect(page.hrefs('.post-outer h2 a')).toHaveLength(7)
  })

  it('says which path was not found, escaped', async () => {
    const page = await get('/%3Cscript%3Ealert(1)%3C/script%3E')
    expect(page.status).toBe(404)
    expect(page.doc.querySelectorAll('main script')).toHaveLength(0)
    expect(page.text('main code')).toBe('/<script>alert(1)</script>')
  })
})

describe('paging both ways, as Blogger does', () => {
  it('links an older page back to newer posts, which shows the posts just before it', async () => {
    at('2026-11-26T12:00:00Z')
    const home = await get('/')
    const older = await get(home.hrefs('a.older-link')[0] ?? '')
    const newerHref = older.hrefs('a.newer-link')[0] ?? ''
    const first = older.doc.querySelector('.post-outer time')?.getAttribute('datetime') ?? ''
    expect(newerHref).toBe(`/search?updated-min=${encodeURIComponent(first)}&max-results=7&reverse-paginate=true`)
    expect(older.doc.querySelector('link[rel=prev]')?.getAttribute('href')).toBe(`https://backendnotes.example.com${newerHref}`)
    const newer = await get(newerHref)
    expect(newer.hrefs('.post-outer h2 a')).toEqual(home.hrefs('.post-outer h2 a'))
    expect(newer.hrefs('a.newer-link')).toEqual([])
    expect(newer.hrefs('a.older-link')).toEqual(home.hrefs('a.older-link'))
  })

  it('pages a label both ways', async () => {
    at('2026-11-26T12:00:00Z')
    const first = await get('/search/label/Django?max-results=4')
    const second = await get(first.hrefs('a.older-link')[0] ?? '')
    const back = await get(second.hrefs('a.newer-link')[0] ?? '')
    expect(back.hrefs('.post-outer h2 a')).toEqual(first.hrefs('.post-outer h2 a'))
  })

  it('sends a newer-posts link past the newest post to the first page', async () => {
    const page = await get('/search?updated-min=2030-01-01T00:00:00Z&reverse-paginate=true')
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toBe('/')
  })
})
