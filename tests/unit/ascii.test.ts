import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { asciiHtml, isAscii } from '../../src/markdown/ascii'
import { asciiText } from '../../src/views/characters'

/** What a browser reads back from HTML: text with its references decoded. */
const decoded = (html: string) => parse(`<p>${html}</p>`).querySelector('p')?.textContent ?? ''

describe('HTML kept ASCII', () => {
  it('writes a few characters beyond ASCII as references that read back as the same text', () => {
    // Nine such characters in a paragraph of 600: one in 50 or fewer.
    const text = `Django’s ORM — from “model” to SQL → rows, café au lait, 🚀 fast. ${'Plain words follow. '.repeat(27)}`
    const html = asciiHtml(text)
    expect(isAscii(html)).toBe(true)
    expect(html).toContain('Django&#8217;s ORM &#8212; from &#8220;model&#8221;')
    // One reference for a character outside the Basic Multilingual Plane, not two halves.
    expect(html).toContain('&#128640; fast')
    expect(decoded(html)).toBe(text)
  })

  it('leaves ASCII alone, as the same string', () => {
    const html = '<p>Plain <code>ASCII</code> &amp; nothing else.</p>'
    expect(asciiHtml(html)).toBe(html)
  })

  it('leaves a text as it is where such characters are many: references would swell it', () => {
    const greek = 'Η Django είναι ένα πλαίσιο για εφαρμογές ιστού, γραμμένο σε Python.'
    expect(asciiHtml(greek)).toBe(greek)
    const title = '入门指南：模型与查询'
    expect(asciiHtml(title)).toBe(title)
    // A short text may have a few.
    expect(asciiHtml('Café “crème”')).toBe('Caf&#233; &#8220;cr&#232;me&#8221;')
  })

  it('escapes text from the blog before it is trusted as HTML, in content and in attributes', () => {
    const title = 'A <script>alert("x")</script> & it’s “quoted”'
    const html = String(asciiText(title))
    expect(html).toBe('A &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; it&#8217;s &#8220;quoted&#8221;')
    expect(decoded(html)).toBe(title)
    expect(parse(`<meta content="${html}">`).querySelector('meta')?.getAttribute('content')).toBe(title)
  })

  it('hands ASCII text, and text with many such characters, to the JSX to escape', () => {
    expect(asciiText('Plain <b> text')).toBe('Plain <b> text')
    const greek = 'Η Django είναι ένα πλαίσιο'
    expect(asciiText(greek)).toBe(greek)
  })
})
