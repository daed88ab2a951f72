import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpus } from '../../bench/generate'
import { countWordRuns, postFacts, simpleTextFacts } from '../../src/build/text-facts'
import { countWords, snippet, textFacts } from '../../src/markdown/text'

// The publisher's fast reading of simple Markdown must give what marked's reading gives (plain
// text, reading time, headings) whenever it answers, and leave to marked whatever it cannot read.

const bodyOf = (text: string): string => text.replace(/^---\n[\s\S]*?\n---\n/, '')

/** What the build kept of a post when it asked marked: the reference for postFacts. */
function byMarked(markdown: string) {
  const { plain, minutes, headings } = textFacts(markdown)
  return { snippet: snippet(plain), minutes, headings }
}

function sampleBodies(): string[] {
  return readdirSync('content', { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => bodyOf(readFileSync(join('content', name), 'utf8')))
}

describe('the fast reading of simple Markdown', () => {
  it('gives marked’s answer for every sample post and page it reads, and postFacts for all', () => {
    for (const body of sampleBodies()) {
      const fast = simpleTextFacts(body)
      if (fast) expect(fast).toEqual(textFacts(body))
      expect(postFacts(body)).toEqual(byMarked(body))
    }
  })

  it('reads every generated benchmark post, as marked does', () => {
    const { posts } = corpus(400)
    for (const post of posts) {
      const body = bodyOf(post.text)
      const fast = simpleTextFacts(body)
      expect(fast, post.path).not.toBeNull()
      expect(fast, post.path).toEqual(textFacts(body))
      expect(postFacts(body), post.path).toEqual(byMarked(body))
    }
  })

  // Each case: Markdown, and whether the fast reading must take it (true) or leave it (false).
  const cases: [string, boolean][] = [
    ['Just a paragraph.\n', true],
    ['Two lines\nof one paragraph.\n\nAnd another.', true],
    ['# Title\n\n## Section ##\n\n### C# and F#\n\n#### Closing # not\n\n##\n', true],
    ['A `code span`, ``two `ticks` inside``, `` ` `` and ` padded `.\n', true],
    ['An *em*, a **strong** word, *two words*, *don\'t* stop. *End*.\n', true],
    ['See [the docs](https://docs.example.com/a?b=c&d=e) for more; [](empty).\n', true],
    ['Entities: &amp; &lt;tag&gt; &quot;q&quot; &copy; Q&A.\n', true],
    ['snake_case and MAX_VALUE are words.\n', true],
    ['Hard break  \nand a line.\n', true],
    ['```python\ndef f():\n    return 1  # words\n```\n\nAfter.\n', true],
    ['````\n```\nnested fence\n```\n````\n', true],
    ['```\nnever closed\n\nstill code\n', true],
    ['- one\n- *two*\n- `three`\n\n* four\n+ five\n', true],
    ['Text\n\n---\n\n***\n\n_ _ _\n\nMore.\n', true],
    ['Punctuation: (parens) {braces} "quotes" 100% $5 #hash a|b 1.5 x=y.\n', true],
    ['Unicode: café, naïve, 東京, emoji 🎉, a\u00a0b.\n', true],
    [`${'Words  and\nlines   '.repeat(60)}\n\n## Heading\n\nMore.\n`, true],
    [`Short.\n\n${'\n'.repeat(3000)}Far below, after a long run of blank lines.\n`, true],
    [`${'x'.repeat(199)}  \n\ny ${'z '.repeat(300)}\n`, true],
    ['> a quote\n', false],
    ['<div>html</div>\n', false],
    ['Inline <b>html</b>.\n', false],
    ['| a | b |\n|---|---|\n| 1 | 2 |\n', false],
    ['a | b\n--|--\n', false],
    ['Setext\n===\n', false],
    ['Setext\n---\n', false],
    ['1. ordered\n2. list\n', false],
    ['- item\n  continued\n', false],
    ['- item\nlazy\n', false],
    ['- [ ] task\n', false],
    ['- - nested\n', false],
    ['    indented code\n', false],
    ['~~~\ntilde fence\n~~~\n', false],
    ['Escaped \\*star\\*.\n', false],
    ['A bare https://example.com link.\n', false],
    ['A www.example.com link.\n', false],
    ['Mail me@example.com now.\n', false],
    ['~~struck~~ text\n', false],
    ['![an image](/a.png)\n', false],
    ['A footnote[^1].\n\n[^1]: The note.\n', false],
    ['[ref]: https://example.com\n', false],
    ['A [ref][] link.\n', false],
    ['A *nested **strong** em*.\n', false],
    ['Intra*word*emphasis.\n', false],
    ['_underscore em_\n', false],
    ['A `` unclosed code.\n', false],
    ['Numeric &#169; reference.\n', false],
    ['Tab\tcharacter.\n', false],
    ['Paragraph\n# then a heading\n', false],
    ['Paragraph\n```\nthen a fence\n```\n', false],
    ['#hashtag\n', false],
  ]
  for (const [markdown, fast] of cases) {
    it(`${fast ? 'reads' : 'leaves to marked'} ${JSON.stringify(markdown)}`, () => {
      const got = simpleTextFacts(markdown)
      if (fast) expect(got).toEqual(textFacts(markdown))
      else expect(got).toBeNull()
      expect(postFacts(markdown)).toEqual(byMarked(markdown))
    })
  }

  it('agrees with marked on thousands of random mixtures of awkward Markdown, or leaves them to it', () => {
    const blocks = [
      'Plain words here.', 'Two\nlines.', '# Heading', '## With `code` #', '### *em* heading', '- item', '- *em* item', '* star',
      '+ plus', '---', '***', '```js\nlet a = `x` * 2\n```', '```\nunclosed', '> quote', '1. one', '    indented',
      'line  \nbreak', 'a_b_c', '[link](/x)', '[link](/x) and *b*', '![img](/x)', '<span>x</span>', 'Setext\n---', 'T\n===',
      '| a |', 'x@y.z', 'www.x.y', 'http://x.y', '\\*x\\*', '~~del~~', '&amp; &lt; &#65;', 'C# F# C++', '- [x] done',
      '-', '- ', '* * *', '`a` `` b `` `c', '**strong**.', '*a*b', 'a *b', 'x * y * z', '_a_', '__a__', '`', '``', '#x',
      '[a]', '[a]: /x', '[^1]', 'a\n- b', 'a\n# b', 'a\n```\nb\n```', 'a\n> b', 'a\n1. b', 'a\n2. b', ' lead', '\t tab',
      'end ##', '## ', '# #', 'é *ü* ß', 'a\r\nb', 'x  ', '*a*\n*b*', '**a** **b**', '*a* *b* *c*', '(*a*)', '*a*)',
    ]
    const separators = ['\n\n', '\n', '\n\n\n', ' ', '']
    let seed = 2024
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed / 2 ** 32
    }
    let taken = 0
    for (let round = 0; round < 5000; round++) {
      let markdown = ''
      for (let n = 1 + Math.floor(next() * 6); n > 0; n--) {
        markdown += blocks[Math.floor(next() * blocks.length)] + (separators[Math.floor(next() * (n > 1 ? separators.length : 2))] as string)
      }
      const got = simpleTextFacts(markdown)
      if (got === null) continue
      taken++
      expect(got, JSON.stringify(markdown)).toEqual(textFacts(markdown))
      expect(postFacts(markdown), JSON.stringify(markdown)).toEqual(byMarked(markdown))
    }
    expect(taken).toBeGreaterThan(400)
  })
})

describe('counting words in place', () => {
  it('counts what countWords counts, with every character of the Basic Multilingual Plane between two words', () => {
    const texts = ['', ' ', 'a', ' a ', 'a  b\tc\nd', '\u00a0\u00a0', 'é ü  東京']
    for (let code = 0; code < 0x10000; code++) texts.push(`a${String.fromCharCode(code)}b`, String.fromCharCode(code))
    for (const text of texts) expect(countWordRuns(text), JSON.stringify(text)).toBe(countWords(text))
  })
})
