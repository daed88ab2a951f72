import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { importBlogger } from '../../src/cli/import'
import type { Output } from '../../src/cli/output'
import { quire, ROOT, tempDir } from './helpers'

const CLASSIC = join(ROOT, 'tests/fixtures/blogger-classic.xml')
const TAKEOUT = join(ROOT, 'tests/fixtures/blogger-takeout.xml')

function recorder(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = []
  const errors: string[] = []
  return { lines, errors, info: (l) => lines.push(l), error: (l) => errors.push(l), isTTY: false }
}

async function freshContent(timeZone: string): Promise<string> {
  const dir = await tempDir('quire-import-')
  const content = join(dir, 'content')
  await mkdir(content, { recursive: true })
  await writeFile(join(content, 'site.yaml'), `title: Field Notes\nauthor: Rafa Lind\nbaseUrl: https://fieldnotes.example.com\ntimeZone: ${timeZone}\n`)
  return content
}

describe('quire import (a Blogger backup)', () => {
  let content: string

  beforeAll(async () => {
    content = await freshContent('America/New_York')
  })

  it('writes posts and pages as Markdown with front matter, keeping each Blogger URL', async () => {
    const result = await importBlogger({ file: CLASSIC, contentDir: content, out: recorder() })
    expect(result.posts.map((p) => p.url).sort()).toEqual(['', '/2025/09/index-basics.html', '/2025/10/reading-explain-output.html'])
    expect(result.pages.map((p) => p.url)).toEqual(['/p/about.html'])
    expect(result.ignored).toBe(2)
    expect(result.moved).toEqual([])

    const explain = await readFile(join(content, 'posts/2025/10/reading-explain-output.md'), 'utf8')
    expect(explain).toBe(
      [
        '---',
        'title: "Reading EXPLAIN output & acting on it"',
        'date: 2025-10-14T09:30:00.000-04:00',
        'updated: 2025-10-20T16:45:00.000-04:00',
        'labels: ["PostgreSQL", "Django"]',
        '---',
        '',
        'Start every slow-query hunt with **EXPLAIN ANALYZE**, not with a guess.',
        '',
        '## The plan',
        '',
        'Look at the _actual_ rows first.',
        '',
        '```sql',
        'EXPLAIN ANALYZE SELECT * FROM orders WHERE customer_id = 42;',
        '```',
        '',
        // A link to another post of the blog becomes relative, so it follows the blog to Quire,
        // and loses the ?m=1 of Blogger's mobile view.
        'Compare estimates: [index basics](/2025/09/index-basics.html).',
        '',
        '| Node | Cost |',
        '| --- | --- |',
        '| Seq Scan | high |',
        '',
        '![A query plan](https://blogger.googleusercontent.com/img/plan.png)',
        '',
      ].join('\n'),
    )
    const basics = await readFile(join(content, 'posts/2025/09/index-basics.md'), 'utf8')
    expect(basics).toContain('```python\nOrder.objects.filter(customer_id=42)\n```')
    expect(basics).toContain('~Hash~ rarely worth it')
    const draft = await readFile(join(content, 'posts/2025/11/half-finished-thoughts-on-partitioning.md'), 'utf8')
    expect(draft).toContain('draft: true')
    expect(await readFile(join(content, 'pages/about.md'), 'utf8')).toContain('title: "About these notes"')
  })

  it('gives a blog that builds, at the URLs Blogger used', async () => {
    const build = await buildSite(await readContentFiles(content, join(content, '..')), { now: Date.parse('2026-01-01T00:00:00Z') })
    expect(build.posts.map((p) => p.path)).toEqual(['/2025/10/reading-explain-output.html', '/2025/09/index-basics.html'])
    // 23:30 on 30 September in New York is October in UTC, and stays September here.
    expect(build.posts[1]?.date).toBe('2025-09-30T23:30:00-04:00')
    expect(build.head.pages.map((p) => p.slug)).toEqual(['about'])
  })

  it('never overwrites: importing again keeps every file and says so', async () => {
    const before = await readFile(join(content, 'posts/2025/10/reading-explain-output.md'), 'utf8')
    await writeFile(join(content, 'posts/2025/10/reading-explain-output.md'), `${before}\nAn edit of mine.\n`)
    const again = await importBlogger({ file: CLASSIC, contentDir: content, out: recorder() })
    expect(again.posts).toEqual([])
    expect(again.existing).toHaveLength(4)
    expect(await readFile(join(content, 'posts/2025/10/reading-explain-output.md'), 'utf8')).toContain('An edit of mine.')
  })

  it('reads a Google Takeout export too, leaving out deleted posts and comments', async () => {
    const takeout = await freshContent('UTC')
    const result = await importBlogger({ file: TAKEOUT, contentDir: takeout, out: recorder() })
    expect(result.posts.map((p) => p.url)).toEqual(['/2026/02/timeouts-are-feature.html'])
    expect(result.ignored).toBe(2)
    const post = await readFile(join(takeout, 'posts/2026/02/timeouts-are-feature.md'), 'utf8')
    expect(post).toContain('labels: ["Reliability"]')
    expect(post).toContain('author: "Kit Moreau"')
    expect(post).toContain('```python\nrequests.get(url, timeout=3)\n```')
  })

  it('warns when the site time zone would move a post to another month, so its URL would change', async () => {
    const utc = await freshContent('UTC')
    const result = await importBlogger({ file: CLASSIC, contentDir: utc, out: recorder() })
    expect(result.moved).toEqual([
      { url: '/2025/09/index-basics.html', file: expect.stringMatching(/content\/posts\/2025\/09\/index-basics\.md$/), wouldBe: '/2025/10/index-basics.html' },
    ])
  })

  it('refuses a file that is not a Blogger export, clearly', async () => {
    const notXml = join(await tempDir(), 'notes.txt')
    await writeFile(notXml, 'just some text')
    await expect(importBlogger({ file: notXml, contentDir: content, out: recorder() })).rejects.toThrow(/is not a Blogger export \(Atom XML\)/)
    await expect(importBlogger({ file: '/no/such/export.xml', contentDir: content, out: recorder() })).rejects.toThrow(/cannot read \/no\/such\/export\.xml/)
  })
})

describe('quire import from the command line', () => {
  it('imports, reports what it did, and leaves a blog that check accepts', async () => {
    const content = await freshContent('America/New_York')
    const imported = await quire(['import', CLASSIC, '--content', content])
    expect(imported.code).toBe(0)
    expect(imported.stdout).toContain('imported 3 posts (1 draft) and 1 page')
    expect(imported.stdout).toContain('left out 2 comments, settings and layout entries')
    const checked = await quire(['check', '--content', content])
    expect(checked.stderr).toBe('')
    expect(checked.code).toBe(0)
  })

  it('exits 1 with a clear message for a file that is not an export', async () => {
    const result = await quire(['import', join(ROOT, 'package.json'), '--content', await freshContent('UTC')])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/package\.json is not a Blogger export \(Atom XML\)/)
  })
})
