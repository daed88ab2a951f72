import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { copyContent, editFile, kvGet, quire, tempDir } from './helpers'

const WROTE = /^wrote (content\/posts\/(\d{4})\/(\d{2})\/[a-z0-9-]+\.md)$/m

describe.concurrent('new', () => {
  it("writes a post dated now in the site's time zone, with a slug from the title, and never overwrites", async () => {
    const dir = await tempDir()
    const content = await copyContent(dir)
    const before = Date.now()
    const first = await quire(['new', 'Hello, Wörld: Part 1!', '--labels', 'Django, Python', '--draft', '--content', content])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const [, path, year, month] = WROTE.exec(first.stdout) ?? []
    expect(path).toBe(`content/posts/${year}/${month}/hello-world-part-1.md`)
    const text = await readFile(join(dir, path ?? ''), 'utf8')
    const lines = text.split('\n')
    expect(lines.slice(0, 2)).toEqual(['---', 'title: "Hello, Wörld: Part 1!"'])
    expect(lines[2]).toMatch(new RegExp(`^date: ${year}-${month}-\\d\\dT\\d\\d:\\d\\d:\\d\\d-0[45]:00$`))
    const date = Date.parse(lines[2]?.slice('date: '.length) ?? '')
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    expect(date).toBeLessThanOrEqual(Date.now())
    expect(lines.slice(3)).toEqual(['labels: ["Django", "Python"]', 'draft: true', '---', '', ''])

    const second = await quire(['new', 'Hello, Wörld: Part 1!', '--content', content])
    expect(second.stdout).toContain(`wrote content/posts/${year}/${month}/hello-world-part-1-2.md`)
    expect(await readFile(join(dir, path ?? ''), 'utf8')).toBe(text)

    const check = await quire(['check', '--drafts', '--content', content])
    expect(check.stderr).toBe('')
    expect(check.stdout).toMatch(/\/content is fine: 17 posts/)
  })

  it('refuses an empty title with exit 1', async () => {
    const result = await quire(['new', '  '])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('error: the title must not be empty, e.g. quire new "Notes on Django 6"\n')
  })

  it('new, then publish: the post is in the store, under its URL', async () => {
    const dir = await tempDir()
    const content = await copyContent(dir)
    const written = await quire(['new', 'A Fresh Post', '--labels', 'Notes', '--content', content])
    const path = WROTE.exec(written.stdout)?.[1] ?? ''
    await editFile(join(dir, path), (text) => `${text}Hello from a brand new post.\n`)
    const store = join(dir, 'store')
    const published = await quire(['publish', '--local', '--persist-to', store, '--content', content])
    expect(published.stderr).toBe('')
    expect(published.code).toBe(0)

    const build = await buildSite(await readContentFiles(content), { now: Date.now() })
    const url = `/${path.slice('content/posts/'.length, -'.md'.length)}.html`
    const post = build.posts.find((p) => p.path === url)
    const notes = build.head.labels.find((label) => label.key === 'notes')
    const keys = ['head', `blob:${post?.hash}`, `blob:${notes?.shards[0]?.hash}`]
    const stored = await kvGet(store, keys)
    expect(stored.get('head')).toBe(build.headJson)
    expect(JSON.parse(stored.get(keys[1] as string) ?? '{}')).toMatchObject({ path: url, title: 'A Fresh Post', markdown: '\nHello from a brand new post.\n' })
    expect(stored.get(keys[2] as string)).toContain(`"path":"${url}"`)
  }, 300_000)
})
