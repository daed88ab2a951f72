import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml'
import { corpus } from '../../bench/generate'
import { ContentError } from '../../src/build/errors'
import { parseFlatYaml } from '../../src/build/flat-yaml'
import { parseFrontMatter } from '../../src/build/frontmatter'

// The fast front-matter parser must answer what the yaml library answers, key order and lines
// included, whenever it answers at all; and leave to the library everything it would refuse.

type Reading = { entries: [string, unknown][]; lines: [string, number][] } | 'error' | 'not a mapping'

function byLibrary(text: string): Reading {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) return 'error'
  if (!isMap(doc.contents)) return 'not a mapping'
  const lines: [string, number][] = []
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) lines.push([String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line])
  }
  return { entries: Object.entries(doc.toJS() as Record<string, unknown>), lines }
}

function byFastPath(text: string): Reading | null {
  const flat = parseFlatYaml(text)
  return flat && { entries: Object.entries(flat.data), lines: [...flat.lines] }
}

/** The front matter of a file, as parseFrontMatter cuts it. */
function frontOf(text: string): string {
  const match = /^---[ \t]*\r?\n([\s\S]*?\r?\n)---[ \t]*(?:\r?\n|$)/.exec(text)
  if (!match) throw new Error('no front matter')
  return match[1] as string
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(dir, name))
}

describe('the fast front-matter parser', () => {
  it('reads every sample post and page, and site.yaml, exactly as the yaml library does', () => {
    const texts = [...markdownFiles('content/posts'), ...markdownFiles('content/pages')].map((file) => frontOf(readFileSync(file, 'utf8')))
    texts.push(readFileSync('content/site.yaml', 'utf8'))
    expect(texts.length).toBeGreaterThan(10)
    for (const text of texts) expect(byFastPath(text), text).toEqual(byLibrary(text))
  })

  it('reads the generated benchmark posts exactly as the yaml library does', () => {
    const { site, posts } = corpus(300)
    for (const text of [site.text, ...posts.map((p) => frontOf(p.text))]) expect(byFastPath(text), text).toEqual(byLibrary(text))
  })

  // Each case: the text, and whether the fast path must take it (true) or leave it (false).
  const cases: [string, boolean][] = [
    ['title: Plain words, with commas\n', true],
    ['title: "Quoted: with a colon and # hash"\n', true],
    ['title: "Escapes \\" \\\\ \\/ \\n \\t"\n', true],
    ["title: 'It''s single-quoted'\n", true],
    ['title: C# and F# # a comment\n', true],
    ['title: a [bracket] in the middle\n', true],
    ['title: ends with spaces   \n', true],
    ['date: 2026-03-03T08:30:00-05:00\n', true],
    ['date: 2026-03-03 08:30\n', true],
    ['date: 2026-03-03\n', true],
    ['draft: true\ndraft2: False\nnothing: null\nempty:\npostsPerPage: 7\n', true],
    ['labels: [Django, ORM, "With, comma"]\n', false],
    ['labels: [Django, ORM, "Quoted"]\n', true],
    ['labels: []\n', true],
    ['labels:\n  - Django\n  - "ORM"\n  - Performance # the big one\n', true],
    ['labels:\n- Django\n- ORM\ntitle: x\n', true],
    ['labels:\n\n  - Django\n\n  - ORM\n\ntitle: x\n', true],
    ['# a comment\ntitle: x\n\n# another\n', true],
    ['baseUrl: https://blog.example.com/path?q=1\n', true],
    ['title: Yes\nother: no\nthird: on\n', true],
    ['title: "Unclosed\ndate: 2026-03-03\n', false],
    ["title: 'Unclosed\n", false],
    ['title: x\ntitle: y\n', false],
    ['title: a: b\n', false],
    ['title: ends with a colon:\n', false],
    ['title: first line\n  continued\n', false],
    ['title:\n  nested: map\n', false],
    ['labels:\n  - a\n    - b\n', false],
    ['labels:\n  - a\n - b\n', false],
    ['labels:\n  - a\n  continued\n', false],
    ['labels: [a,\n  b]\n', false],
    ['labels: [a, [b]]\n', false],
    ['labels: [a, b,]\n', false],
    ['labels: [a b: c]\n', false],
    ['count: 1.5\n', false],
    ['count: 012\n', false],
    ['count: 0x1F\n', false],
    ['count: -3\n', false],
    ['count: .inf\n', false],
    ['count: ~\n', false],
    ['title: &anchor x\nother: *anchor\n', false],
    ['title: !tag x\n', false],
    ['title: |\n  block\n', false],
    ['title: >\n  folded\n', false],
    ['title: {a: 1}\n', false],
    ['"quoted key": x\n', false],
    ['true: x\n', false],
    ['title:x\n', false],
    ['title: "x" trailing\n', false],
    ['title: "\\x41 escape"\n', false],
    ['title: "\\u00e9"\n', false],
    ['title: x\r\ndate: y\r\n', false],
    ['title:\tx\n', false],
    ['- a\n- b\n', false],
    ['just a scalar\n', false],
    ['', false],
    ['# only a comment\n', false],
    ['title: x\n---\nother: y\n', false],
    ['%YAML 1.2\n---\ntitle: x\n', false],
    ['? complex\n: key\n', false],
    ['title: @reserved\n', false],
    ['title: `reserved\n', false],
  ]
  for (const [text, fast] of cases) {
    it(`${fast ? 'reads' : 'leaves to the library'} ${JSON.stringify(text)}`, () => {
      const got = byFastPath(text)
      if (fast) expect(got).toEqual(byLibrary(text))
      else expect(got).toBeNull()
    })
  }

  it('agrees with the library on thousands of random mixtures of tricky lines, or leaves them to it', () => {
    const pieces = [
      'title: x', 'title: "a: b"', "title: 'a''b'", 'title: a # c', 'title: a#b', 'title:', 'title: ""', "title: ''",
      'labels: [a, b]', 'labels: [a, "b, c"]', 'labels: []', 'labels:', '  - a', '- b', '  - "c"', '    - d', '  e',
      'date: 2026-03-03', 'date: 2026-03-03T08:30:00Z', 'n: 12', 'n: 1.5', 'b: true', 'b: TRUE', 'z: null', 'z: ~',
      '# comment', '', '  ', ' # indented comment', 'title: x ', 'k: [a] # c', 'k: "x" # c', 'k: "x"y', 'k: a: b',
      'k: -a', 'k: a - b', 'k: [', 'k: ]', 'k: {}', 'k: "\\"q\\""', 'k: "\\q"', 'title: y', 'x:y', ':', 'k: |', '  line',
    ]
    let random = 12345
    const next = () => {
      random = (Math.imul(random, 1103515245) + 12345) >>> 0
      return random / 2 ** 32
    }
    let taken = 0
    for (let round = 0; round < 4000; round++) {
      const lines = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pieces[Math.floor(next() * pieces.length)])
      const text = `${lines.join('\n')}\n`
      const got = byFastPath(text)
      if (got === null) continue
      taken++
      expect(got, text).toEqual(byLibrary(text))
    }
    expect(taken).toBeGreaterThan(500)
  })
})

describe('front matter errors', () => {
  it('still come from the library, with the file and the line', () => {
    const errors: ContentError[] = []
    expect(parseFrontMatter('content/posts/x.md', '---\ntitle: ok\nlabels: [a,\ndate: 2026-03-03\n---\nBody\n', errors)).toBeNull()
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^content\/posts\/x\.md:[2-5]:\d+: YAML: /)])
  })

  it('name the line of a field read by the fast path', () => {
    const fm = parseFrontMatter('content/posts/x.md', '---\n# about\ntitle: ok\n\nlabels:\n  - a\ndate: 2026-03-03\n---\nBody\n', [])
    expect(fm && [fm.lineOf('title'), fm.lineOf('labels'), fm.lineOf('date'), fm.lineOf('slug')]).toEqual([3, 5, 7, undefined])
    expect(fm?.body).toBe('Body\n')
  })
})
