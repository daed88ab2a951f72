import { Lexer } from 'marked'
import { describe, expect, it } from 'vitest'
import { plainTextRun, renderMarkdown } from '../../src/markdown/render'
import { isSafeUrl, sanitizeHtml } from '../../src/markdown/sanitize'
import { plainText, readingMinutes, snippet } from '../../src/markdown/text'

describe('renderMarkdown', () => {
  it('gives headings stable ids and lists the second and third levels as the table of contents', () => {
    const { html, toc } = renderMarkdown('## Core Concepts\n\ntext\n\n### The `QuerySet` API\n\n#### Deeper\n\n## Core Concepts\n')
    expect(html).toContain('<h2 id="core-concepts">Core Concepts <a class="anchor"')
    expect(html).toContain('<h3 id="the-queryset-api">')
    expect(toc).toEqual([
      { id: 'core-concepts', text: 'Core Concepts', level: 2 },
      { id: 'the-queryset-api', text: 'The QuerySet API', level: 3 },
      { id: 'core-concepts-1', text: 'Core Concepts', level: 2 },
    ])
  })

  it('puts a link to itself in each heading from the second to the fourth level', () => {
    const { html } = renderMarkdown('# Title\n\n## Core Concepts\n\n#### Deeper\n\n##### Deepest\n\n## Core Concepts\n')
    expect(html).toContain('<h1 id="title">Title</h1>')
    expect(html).toContain(
      '<h2 id="core-concepts">Core Concepts <a class="anchor" href="#core-concepts" aria-label="Link to the section Core Concepts">#</a></h2>',
    )
    expect(html).toContain('<h4 id="deeper">Deeper <a class="anchor" href="#deeper" aria-label="Link to the section Deeper">#</a></h4>')
    expect(html).toContain('<h5 id="deepest">Deepest</h5>')
    expect(html).toContain('<a class="anchor" href="#core-concepts-1"')
  })

  it('escapes heading text in the anchor label', () => {
    const { html } = renderMarkdown("## Don't <em>panic</em>\n")
    expect(html).toContain('aria-label="Link to the section Don&#39;t panic"')
  })

  it('keeps every character of a heading in the table of contents', () => {
    const { toc } = renderMarkdown("## Models & Managers: \"the\" 'basics' \\<3\n")
    expect(toc[0]?.text).toBe(`Models & Managers: "the" 'basics' <3`)
  })

  it('starts every document with fresh heading ids', () => {
    renderMarkdown('## Intro\n')
    expect(renderMarkdown('## Intro\n').toc[0]?.id).toBe('intro')
  })

  it('highlights code on the server in the language named on the fence', () => {
    const { html } = renderMarkdown('```python\ndef total(rows):\n    return sum(rows)\n```\n')
    expect(html).toContain('<code class="hljs language-python">')
    expect(html).toContain('<span class="hljs-keyword">def</span>')
  })

  it('escapes code in a language it does not know', () => {
    const { html } = renderMarkdown('```cobol\n<script>alert(1)</script>\n```\n')
    expect(html).toContain('&lt;script&gt;')
    expect(html).not.toContain('<script>')
  })

  it('renders GFM tables, task lists, strikethrough, autolinks and footnotes', () => {
    const { html } = renderMarkdown(
      '| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ https://example.com\n\nA claim.[^1]\n\n[^1]: The source.\n',
    )
    expect(html).toContain('<table>')
    expect(html).toMatch(/<input checked="" disabled="" type="checkbox"/)
    // A form control needs a name, even a read-only one (axe: label).
    expect(html).toContain('<input disabled="" type="checkbox" aria-label="Not done"> todo')
    expect(html).toContain('<del>old</del>')
    expect(html).toContain('<a href="https://example.com">https://example.com</a>')
    expect(html).toContain('href="#footnote-1"')
    expect(html).toContain('<li id="footnote-1">')
  })

  it('reads setext headings and tables as marked does, however far the underline', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n')
    expect(renderMarkdown(`${long}\n---\n`).html).toMatch(/^<h2 id="line-0line-1[^"]*">line 0\nline 1\n/)
    expect(renderMarkdown('One\ntwo\n   ===  \n').html).toBe('<h1 id="onetwo">One\ntwo</h1>\n')
    expect(renderMarkdown('One\n\n===\n').html).toBe('<p>One</p>\n<p>===</p>\n')
    expect(renderMarkdown('- a\n---\n').html).toBe('<ul>\n<li>a</li>\n</ul>\n<hr>\n')
    expect(renderMarkdown('| a | b |\n   |---|:-:|\n| 1 | 2 |\n').html).toContain('<th align="center">b</th>')
    expect(renderMarkdown('a | b\n-|-\n').html).toContain('<table>')
    expect(renderMarkdown('| a | b |\n    |---|---|\n').html).not.toContain('<table>')
  })

  it('links addresses and web addresses in text, and reads character references, as marked does', () => {
    expect(renderMarkdown('Write to a@example.com or mailto:b@example.com, see www.example.com &#65;&#x42; &amp; x_y_z').html).toBe(
      '<p>Write to <a href="mailto:a@example.com">a@example.com</a> or <a href="mailto:b@example.com">mailto:b@example.com</a>, see <a href="http://www.example.com">www.example.com</a> AB &amp; x_y_z</p>\n',
    )
    expect(renderMarkdown('No address here, https://example.com/a_b and _em_ &#67;').html).toBe(
      '<p>No address here, <a href="https://example.com/a_b">https://example.com/a_b</a> and <em>em</em> C</p>\n',
    )
  })

  it('reads a run of text as marked does wherever an address is, in the run, next to it or further on', () => {
    const pieces = [
      ...['a', 'b.', ' ', '  ', '  \n', '   \n', 'x@y', '@', 'mailto:', 'xmpp:', 'ma', 'ilto:', 'xm', 'pp:', ':', '*', '_', '~', '~~', '`', '``', '[', '<', '!'],
      ...['\\', '&', '#', '&#', '&#65;', 'www.', 'ww', 'w.', 'w', '(', '\t', '\u00a0', 'https://e.x', 'HTTP', 'hTtPs', 'htt', 'p', 'h', 'H', 'ftp://', 'FtP://', 'ftp:/', 'f'],
      ...['.com', '-', '+', '|', "'", 'é', '\n', '\u3000'],
    ]
    let seed = 7
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    let runs = 0
    for (let i = 0; i < 60_000; i++) {
      let src = ''
      for (let n = 1 + random(24); n > 0; n--) src += pieces[random(pieces.length)]
      const run = plainTextRun(src)
      if (typeof run !== 'string') continue
      runs++
      expect(run, JSON.stringify(src)).toBe(Lexer.rules.inline.gfm.text.exec(src)?.[0])
    }
    // Most documents never reach marked's own expression; with this many addresses a good share do.
    expect(runs).toBeGreaterThan(15_000)
    // An address far on in the block no longer sends every run before it to marked.
    expect(plainTextRun(`Some *words* ${'and more words '.repeat(50)}then a@example.com`)).toBe('Some ')
    expect(plainTextRun('Some words then a@example.com *b*')).toBe(false)
    expect(plainTextRun('Some.words@example.com')).toBe(false)
    expect(plainTextRun('Words, mailto:a')).toBe(false)
    // A character reference or an address at the very start goes to marked too.
    expect(plainTextRun('&#65; and more')).toBe(false)
    expect(plainTextRun('@name and more')).toBe(false)
    expect(plainTextRun('&amp; and more')).toBe('&amp; and more')
  })

  it("escapes a footnote's label where it is written into an attribute", () => {
    const { html } = renderMarkdown('Cited.[^a" onmouseover="alert(1)]\n\n[^a" onmouseover="alert(1)]: The note.\n')
    expect(html).toContain('aria-label="Back to reference a&quot; onmouseover=&quot;alert(1)"')
    expect(html).not.toContain('onmouseover="')
  })

  it('numbers footnotes by first citation, lists only the cited ones, last, and links every citation back', () => {
    const { html } = renderMarkdown('B first.[^b] A.[^a] B again.[^b] Unknown.[^z]\n\n[^a]: Note A.\n[^b]: Note B.\n[^c]: Never cited.\n\nAfter.\n')
    expect([...html.matchAll(/data-footnote-ref[^>]*>(\d+)</g)].map((m) => m[1])).toEqual(['1', '2', '1'])
    expect(html).toContain('Unknown.[^z]')
    expect(html).not.toContain('Never cited')
    expect(html.indexOf('<p>After.</p>')).toBeLessThan(html.indexOf('<section class="footnotes"'))
    expect([...html.matchAll(/<li id="(footnote-\w+)">/g)].map((m) => m[1])).toEqual(['footnote-b', 'footnote-a'])
    expect(html).toContain('href="#footnote-ref-b-2" data-footnote-backref')
  })

  it('renders footnotes in one document after another', () => {
    renderMarkdown('One[^a]\n\n[^a]: first\n')
    expect(renderMarkdown('Two[^b]\n\n[^b]: second\n').html).toContain('second')
  })
})

describe('plain text, snippets and reading time', () => {
  const source = [
    '## Why it matters',
    '',
    'The **ORM** builds `SELECT` statements for you; see [the docs](https://example.com).',
    '',
    '```sql',
    'SELECT * FROM orders;',
    '```',
    '',
    '<div class="note">raw</div>',
    '',
    '- first point',
    '- second & last',
  ].join('\n')

  it('keeps headings and prose and drops markup, code blocks and raw HTML', () => {
    expect(plainText(source)).toBe(
      'Why it matters The ORM builds SELECT statements for you; see the docs. first point second & last',
    )
  })

  it('cuts at a word boundary near 200 characters and ends in ...', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ')
    const cut = snippet(words)
    expect(cut.endsWith('...')).toBe(true)
    expect(cut.length).toBeLessThanOrEqual(203)
    expect(cut.length).toBeGreaterThan(150)
    expect(words.startsWith(cut.slice(0, -3))).toBe(true)
    expect(words.charAt(cut.length - 3)).toBe(' ')
  })

  it('ends a short text in ... too, as Blogger does', () => {
    expect(snippet('Short and sweet.')).toBe('Short and sweet....')
  })

  it('counts about 230 words a minute, code at half weight, never less than one', () => {
    expect(readingMinutes('Hello.')).toBe(1)
    const prose = Array.from({ length: 2300 }, () => 'word').join(' ')
    expect(readingMinutes(prose)).toBe(10)
    const code = `\`\`\`python\n${Array.from({ length: 460 }, () => 'x').join(' ')}\n\`\`\`\n`
    expect(readingMinutes(`${prose}\n\n${code}`)).toBe(11)
  })
})

describe('the raw HTML and URL policy', () => {
  it('allows relative, http, https and mailto URLs and nothing else', () => {
    for (const url of ['/2026/03/x.html', '#intro', 'page.html', '//cdn.example.com/a.png', 'https://a.example', 'HTTP://A.EXAMPLE', 'mailto:a@example.com']) {
      expect(isSafeUrl(url), url).toBe(true)
    }
    for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', '&#106;avascript:alert(1)', 'jav&#x61;script:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd']) {
      expect(isSafeUrl(url), url).toBe(false)
    }
  })

  it('keeps allowed tags and drops handlers, styles and active elements with their content', () => {
    expect(sanitizeHtml('<kbd onclick="x()">Ctrl</kbd>')).toBe('<kbd>Ctrl</kbd>')
    expect(sanitizeHtml('<p style="color:red" class="note">Hi</p>')).toBe('<p class="note">Hi</p>')
    expect(sanitizeHtml('<div>a<script>alert(1)</script>b</div>')).toBe('<div>ab</div>')
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a href>x</a>')
  })

  it('lets an unclosed active element swallow the rest of its block, as a browser would', () => {
    expect(sanitizeHtml('<div>ok</div><style>body{}')).toBe('<div>ok</div>')
    expect(sanitizeHtml('<p>[removed] is a word</p>')).toBe('<p>&#91;removed] is a word</p>')
  })
})

describe('footnote numbers', () => {
  const shown = (html: string) => [...html.matchAll(/data-footnote-ref[^>]*>([^<]+)</g)].map((m) => m[1])

  it('start at 1 in every document, whatever was lexed or rendered before', () => {
    const three = 'One.[^a] Two.[^b] Three.[^c]\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n'
    const one = 'Only one.[^x] Again.[^x]\n\n[^x]: X.\n'
    // The publisher lexes every post for its snippet and never renders it.
    plainText(three)
    plainText(three)
    expect(shown(renderMarkdown(one).html)).toEqual(['1', '1'])
    expect(shown(renderMarkdown(three).html)).toEqual(['1', '2', '3'])
    expect(shown(renderMarkdown(one).html)).toEqual(['1', '1'])
  })
})
