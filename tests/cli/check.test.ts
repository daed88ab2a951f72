import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type CliResult, copyContent, quire, ROOT, tempDir } from './helpers'

const post = (front: string, body: string) => `---\n${front}\n---\n\n${body}\n`

/** Each bad file, and the exact line `check` must print for it. */
const BAD_POSTS: { name: string; file: string; text: string; problem: string }[] = [
  {
    name: 'a missing title',
    file: 'no-title.md',
    text: post('date: 2026-04-01T10:00:00Z', 'No title here.'),
    problem: 'content/posts/2026/04/no-title.md:1: title: is required',
  },
  {
    name: 'an empty title',
    file: 'empty-title.md',
    text: post('title: ""\ndate: 2026-04-02T10:00:00Z', 'Empty title.'),
    problem: 'content/posts/2026/04/empty-title.md:2: title: must not be empty',
  },
  {
    name: 'an unparseable date',
    file: 'bad-date.md',
    text: post('title: Bad date\ndate: next tuesday', 'When?'),
    problem:
      'content/posts/2026/04/bad-date.md:3: date: cannot read "next tuesday" as a date; write e.g. 2026-03-03T08:30:00-05:00, ' +
      "or 2026-03-03 08:30 in the site's time zone",
  },
  {
    name: 'two posts with the same URL',
    file: 'twin-two.md',
    text: post('title: Twin two\ndate: 2026-04-04T10:00:00Z\nslug: twin', 'Two.'),
    problem: 'content/posts/2026/04/twin.md: has the same URL as content/posts/2026/04/twin-two.md: /2026/04/twin.html',
  },
  {
    name: 'a label that is not a string',
    file: 'object-label.md',
    text: post('title: Object label\ndate: 2026-04-05T10:00:00Z\nlabels: [Django, {name: Python}]', 'Labels.'),
    problem: 'content/posts/2026/04/object-label.md:4: labels: must be a list of names, e.g. labels: [Django, Python]',
  },
  {
    name: 'a YAML syntax error, with line and column',
    file: 'bad-yaml.md',
    text: post('title: "Unclosed\ndate: 2026-04-06T10:00:00Z', 'YAML.'),
    problem: 'content/posts/2026/04/bad-yaml.md:4:1: YAML: Missing closing "quote',
  },
  {
    name: 'Markdown slower to render than the budget',
    file: 'deep-list.md',
    text: post('title: Deep list\ndate: 2026-04-08T10:00:00Z', Array.from({ length: 400 }, (_, i) => `${' '.repeat(2 * i)}- item`).join('\n')),
    problem: 'content/posts/2026/04/deep-list.md:6: body: takes * ms of CPU to render, over the 250 ms budget',
  },
  {
    name: 'Markdown too deeply nested to read at all',
    file: 'deep-quote.md',
    text: post('title: Deep quote\ndate: 2026-04-09T10:00:00Z', `${'> '.repeat(3000)}x`),
    problem: 'content/posts/2026/04/deep-quote.md:6: body: the Markdown cannot be read: Maximum call stack size exceeded',
  },
  {
    name: 'a link to a post in the wrong month',
    file: 'links.md',
    text: post(
      'title: Links\ndate: 2026-04-07T10:00:00Z',
      [
        'Fine: [internals](/2026/03/how-django-works-internally.html#core-concepts) and [about](/p/about.html).',
        'Wrong month: [internals](/2026/04/how-django-works-internally.html).',
        'Nowhere: [gone](https://backendnotes.example.com/2025/01/no-such-post.html).',
        'No page: [contact](/p/contact.html).',
        'A draft: [upgrading](/2026/11/notes-on-upgrading-django.html).',
        '![present](/images/present.png) ![missing](/images/missing.png)',
        '<img src="diagram.png" alt="beside the post">',
        '![hidden](/images/.hidden.png)',
      ].join('\n\n'),
    ),
    problem:
      'content/posts/2026/04/links.md:8: link: /2026/04/how-django-works-internally.html is not a post; ' +
      'did you mean /2026/03/how-django-works-internally.html?',
  },
]

/** More problems in links.md, which holds one link of each kind. */
const LINK_PROBLEMS = [
  { name: 'a link to a post that does not exist', problem: 'content/posts/2026/04/links.md:10: link: /2025/01/no-such-post.html is not a post' },
  { name: 'a link to a page that does not exist', problem: 'content/posts/2026/04/links.md:12: link: /p/contact.html is not a page' },
  {
    name: 'a link to a draft',
    problem:
      'content/posts/2026/04/links.md:14: link: /2026/11/notes-on-upgrading-django.html is a draft, which is not published ' +
      '(publish with --drafts, or remove the link)',
  },
  { name: 'a missing image', problem: 'content/posts/2026/04/links.md:16: image: /images/missing.png does not exist: there is no content/images/missing.png' },
  {
    name: 'an image beside the post, which the Worker does not serve',
    problem: 'content/posts/2026/04/links.md:18: image: diagram.png is not served: put the image in content/images/ and show it as /images/NAME',
  },
  {
    name: 'a hidden file under content/images/, which is not published',
    problem: 'content/posts/2026/04/links.md:20: image: /images/.hidden.png does not exist: there is no content/images/.hidden.png',
  },
]

const matches = (line: string, pattern: string) =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\d+')}`).test(line)

describe.concurrent('check on the sample content', () => {
  it('exits 0 with a one-line summary', async () => {
    const result = await quire(['check'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^content is fine: 14 posts \(1 scheduled, 1 draft left out\), 1 page, \d+ labels, \d+ internal links and 1 local image resolve, slowest render/,
    )
  })

  it('with --drafts, counts the draft as published', async () => {
    const result = await quire(['check', '--drafts'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^content is fine: 15 posts \(1 scheduled\), 1 page/)
  })
})

describe.concurrent('check on bad content', () => {
  let dir: string
  let check: CliResult
  let lines: string[]

  beforeAll(async () => {
    dir = await tempDir()
    const content = await copyContent(dir)
    const month = join(content, 'posts', '2026', '04')
    await mkdir(month, { recursive: true })
    await writeFile(join(month, 'twin.md'), post('title: Twin one\ndate: 2026-04-03T10:00:00Z', 'One.'))
    for (const bad of BAD_POSTS) await writeFile(join(month, bad.file), bad.text)
    await writeFile(join(content, 'images', 'present.png'), 'not really a PNG')
    await writeFile(join(content, 'images', '.hidden.png'), 'on disk, never published')
    check = await quire(['check', '--content', content])
    lines = check.stderr.trim().split('\n')
  }, 300_000)

  it('exits 1 and prints every problem at once, then a count', () => {
    expect(check.code).toBe(1)
    expect(check.stdout).toBe('')
    expect(lines).toHaveLength(BAD_POSTS.length + LINK_PROBLEMS.length + 1)
    expect(lines.at(-1)).toBe(`${BAD_POSTS.length + LINK_PROBLEMS.length} problems in ${BAD_POSTS.length} files`)
  })

  it.each([...BAD_POSTS, ...LINK_PROBLEMS])('reports $name', ({ problem }) => {
    expect(lines.filter((line) => matches(line, problem))).toHaveLength(1)
  })

  it('accepts links that resolve and images that exist', () => {
    expect(check.stderr).not.toContain('/2026/03/how-django-works-internally.html#core-concepts is')
    expect(check.stderr).not.toContain('/p/about.html is')
    expect(check.stderr).not.toContain('present.png')
  })

  it('publish refuses the same content with the same problems and uploads nothing', async () => {
    const store = join(dir, 'store')
    const publish = await quire(['publish', '--local', '--persist-to', store, '--content', join(dir, 'content')])
    expect(publish.code).toBe(1)
    const timeless = (line: string) => line.replace(/takes \d+ ms/, 'takes N ms')
    expect(publish.stderr.trim().split('\n').slice(0, -1).map(timeless)).toEqual(lines.slice(0, -1).map(timeless))
    expect(publish.stderr.trim().split('\n').at(-1)).toMatch(/ problems in \d+ files; nothing was uploaded$/)
    // The store was never opened: wrangler is not even started for bad content.
    expect(existsSync(store)).toBe(false)
  })
})

describe('checkContent', () => {
  it('hands over what every post and page rendered to, so a publish does not render them again', async () => {
    const { checkContent } = await import('../../src/cli/check')
    const { renderMarkdown } = await import('../../src/markdown/render')
    const { build, renders } = await checkContent(join(ROOT, 'content'), { now: Date.now(), renderTimesFile: null })
    const hashes = [...build.posts.map((p) => p.hash), ...build.head.pages.map((p) => p.hash)]
    for (const hash of hashes) {
      const { markdown } = JSON.parse(build.blobs.get(hash) ?? '{}') as { markdown: string }
      expect(renders.get(markdown)).toEqual(renderMarkdown(markdown))
    }
  })
})

describe('render times kept between checks', () => {
  it('spare unchanged Markdown a render, and time again what changed or what another renderer timed', async () => {
    const { checkContent } = await import('../../src/cli/check')
    const dir = await tempDir()
    const content = await copyContent(dir)
    const file = join(dir, 'render-times.json')
    const check = () => checkContent(content, { now: Date.now(), renderTimesFile: file })
    const first = await check()
    // Every post and page, drafts included: each is checked.
    const documents = first.renders.size
    expect(documents).toBeGreaterThan(first.build.posts.length + first.build.head.pages.length)
    const again = await check()
    expect(again.renders.size).toBe(0)
    expect(again.slowest).toEqual(first.slowest)
    const post = join(content, 'posts/2026/03/how-django-works-internally.md')
    await writeFile(post, (await readFile(post, 'utf8')).replace('Ask most Django developers', 'Ask nearly any Django developer'))
    const edited = await check()
    expect(edited.renders.size).toBe(1)
    // Over the budget, a kept time is not trusted: the post is timed again, and stopped.
    await expect(checkContent(content, { now: Date.now(), renderTimesFile: file, renderBudgetMs: 0.001 })).rejects.toThrow(/over the 0.001 ms budget/)
    const kept = JSON.parse(await readFile(file, 'utf8')) as { renderer: string; times: Record<string, number> }
    expect(Object.keys(kept.times)).toHaveLength(documents)
    await writeFile(file, JSON.stringify({ ...kept, renderer: 'another renderer' }))
    expect((await check()).renders.size).toBe(documents)
  })
})
