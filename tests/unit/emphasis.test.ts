import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/markdown/render'

/** The HTML's text, without its tags. */
function textOf(html: string): string {
  return html.replace(/<[^>]*>/g, '')
}

/** The emphasis tags of the HTML, checked to open and close in order; how deep they nest. */
function emphasisDepth(html: string): number {
  const open: string[] = []
  let deepest = 0
  for (const [, closing, name] of html.matchAll(/<(\/?)(em|strong|del)>/g)) {
    if (closing) expect(open.pop(), `</${name}> closes what it did not open`).toBe(name)
    else deepest = Math.max(deepest, open.push(name!))
  }
  expect(open, 'emphasis left open').toEqual([])
  return deepest
}

describe('emphasis in renderMarkdown', () => {
  // Recorded from renderMarkdown before emphasis was bounded; bare marked renders them the same.
  it.each([
    ['*a **b** c*', '<p><em>a <strong>b</strong> c</em></p>\n'],
    ['***x***', '<p><em><strong>x</strong></em></p>\n'],
    ['**a *b* c**', '<p><strong>a <em>b</em> c</strong></p>\n'],
    ['_a __b__ c_', '<p><em>a <strong>b</strong> c</em></p>\n'],
    ['***a** b*', '<p><em><strong>a</strong> b</em></p>\n'],
    ['***a* b**', '<p><strong><em>a</em> b</strong></p>\n'],
    ['*a **b***', '<p><em>a <strong>b</strong></em></p>\n'],
    ['**foo*bar***', '<p><strong>foo<em>bar</em></strong></p>\n'],
    ['*(**foo**)*', '<p><em>(<strong>foo</strong>)</em></p>\n'],
    ['foo******bar*********baz', '<p>foo<strong><strong><strong>bar</strong></strong></strong>***baz</p>\n'],
    ['_foo_bar_baz_', '<p><em>foo_bar_baz</em></p>\n'],
    ['snake_case_name', '<p>snake_case_name</p>\n'],
    ['*a `*` b*', '<p><em>a <code>*</code> b</em></p>\n'],
    ['**[a*](b)**', '<p><strong><a href="b">a*</a></strong></p>\n'],
    ['~~a *b* c~~', '<p><del>a <em>b</em> c</del></p>\n'],
    ['*a*b*c*', '<p><em>a</em>b<em>c</em></p>\n'],
  ])('renders %s as before', (markdown, html) => {
    expect(renderMarkdown(markdown).html).toBe(html)
  })

  it('renders ordinary emphasis as before in a paragraph with many delimiters', () => {
    const phrases = ['*a **b** c*', '**a *b* c**', '_a __b__ c_', '~~a~~', '***x***']
    const html = ['<em>a <strong>b</strong> c</em>', '<strong>a <em>b</em> c</strong>', '<em>a <strong>b</strong> c</em>', '<del>a</del>', '<em><strong>x</strong></em>']
    const many = (parts: string[]) => Array.from({ length: 60 }, (_, i) => parts[i % parts.length]).join(' and ')
    expect(renderMarkdown(many(phrases)).html).toBe(`<p>${many(html)}</p>\n`)
  })

  it('leaves literal an opener whose closer is more than 32 runs of its delimiter away', () => {
    const near = `*${'a **b** '.repeat(15)}c* and *d*`
    expect(renderMarkdown(near).html).toBe(`<p><em>${'a <strong>b</strong> '.repeat(15)}c</em> and <em>d</em></p>\n`)
    const far = `*${'a **b** '.repeat(16)}c* and *d*`
    expect(renderMarkdown(far).html).toBe(`<p>*${'a <strong>b</strong> '.repeat(16)}c* and <em>d</em></p>\n`)
  })

  // Before the bound, each of these ran for seconds in marked, or overflowed the stack.
  it('renders thousands of nested strong and emphasis spans, keeping the innermost', () => {
    const markdown = `${'*a **a '.repeat(2000)}b${' a** a*'.repeat(2000)}`
    const { html } = renderMarkdown(markdown)
    expect(textOf(html).replace(/\*/g, '')).toBe(`${markdown.replace(/\*/g, '')}\n`)
    expect(emphasisDepth(html)).toBeGreaterThanOrEqual(8)
    expect(html).toContain('<em>a <strong>a b a</strong> a</em>')
    expect(html.startsWith('<p>*a **a *a **a ')).toBe(true)
  })

  it('renders thousands of openers before one closer', () => {
    const markdown = `${'*a '.repeat(5000)}b*`
    const { html } = renderMarkdown(markdown)
    expect(textOf(html).replace(/\*/g, '')).toBe(`${markdown.replace(/\*/g, '')}\n`)
    expect(emphasisDepth(html)).toBeLessThanOrEqual(1)
  })

  it('renders thousands of nested underscores and strikethroughs', () => {
    for (const [open, close] of [['_a __a ', ' a__ a_'], ['~~a ~a ', ' a~ a~~']] as const) {
      const markdown = `${open.repeat(2000)}b${close.repeat(2000)}`
      const { html } = renderMarkdown(markdown)
      expect(textOf(html).replace(/[_~]/g, '')).toBe(`${markdown.replace(/[_~]/g, '')}\n`)
      expect(emphasisDepth(html)).toBeGreaterThanOrEqual(8)
    }
  })

  it('keeps a run of thousands of asterisks as text', () => {
    const { html } = renderMarkdown(`${'*'.repeat(20_000)}a*`)
    expect(html).toBe(`<p>${'*'.repeat(20_000)}a*</p>\n`)
  })
})
