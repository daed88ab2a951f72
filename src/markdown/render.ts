import { Lexer, Marked, type MarkedExtension, type Token, type Tokens } from 'marked'
import { getHeadingList, gfmHeadingId, resetHeadings } from 'marked-gfm-heading-id'
import { asciiHtml } from './ascii'
import { BoundedEmphasisLexer } from './emphasis'
import { decodeEntities } from './entities'
import { appendFootnotes, footnotes } from './footnotes'
import { escapeHtml } from './highlight'
import { highlightCode } from './languages'
import { isSafeUrl, sanitizeHtml } from './sanitize'

/**
 * A fenced code block, highlighted on the server in the fence's language (languages.ts; any other
 * language is plain, escaped text), in highlight.js's markup so the theme's classes apply. It runs
 * when a block is rendered, not when it is lexed: the publisher lexes every post for its snippet
 * and reading time and needs no highlighting.
 */
function renderCode({ text, lang }: Tokens.Code): string {
  const name = /^\S*/.exec(lang ?? '')?.[0] ?? ''
  const classes = name ? `hljs language-${escapeHtml(name)}` : 'hljs'
  return `<pre><code class="${classes}">${highlightCode(text.replace(/\n$/, ''), name)}\n</code></pre>`
}

/**
 * Cheap tests for what marked's table and setext-heading tokenizers need, before their regular
 * expressions run. Both are tried at the start of nearly every block and match few of them: their
 * expressions took a tenth of marked's time on a long post. When a test fails, the block cannot
 * be what the tokenizer reads (it returns nothing); when it passes, marked's own tokenizer decides.
 */
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/
const WHITESPACE_ONLY = /^\s*$/
const SETEXT_LOOKAHEAD_LINES = 32

// The run of text marked's GFM expression for text reads, found by a scan instead of by running
// the expression: it tries a dozen alternatives at every character, its alternatives for e-mail
// addresses and `mailto:` or `xmpp:` links the costliest, and took an eighth of a long post's
// render. The scan stops where the expression less those alternatives stops; a run that an
// address could end sooner goes to marked (addressNear). Should marked change the expression, the
// scan no longer answers for it.
const MARKED_TEXT_SOURCE =
  "^(?:[^a-zA-Z0-9](?=(?:mailto|xmpp):)|(`+|~+|[^`~])(?:(?=[`~])|(?= {2,}\\n)|(?=[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]+@)|[\\s\\S]*?(?:(?=[\\\\<!\\[`*~_]|\\b_|[hH][tT][tT][pP][sS]?|[fF][tT][pP]:\\/\\/|(?<![^\\s*_~(])www\\.|$)|[^ ](?= {2,}\\n)|[^a-zA-Z0-9](?=(?:mailto|xmpp):)|[^a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-](?=[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]+@))))"
if (Lexer.rules.inline.gfm.text.source !== MARKED_TEXT_SOURCE || Lexer.rules.inline.gfm.text.flags !== '') {
  throw new Error("marked's expression for text changed: review render.ts")
}

/** What a character means to the scan, by code: 0 nothing. */
const RUN_CHARACTERS = new Uint8Array(128)
const STOP = 1 // the expression's lookahead for \ < ! [ ` * ~ _ ends the run before it
const SCHEME = 2 // h, H, f, F: http, https or ftp:// may start here
const WWW = 3 // w: www. may start here
const SPACE = 4 // two or more spaces and a line break end the run: a hard break follows
const ADDRESS = 5 // @, or the : of mailto: or xmpp:, sends the run to marked
const REFERENCE = 6 // &, of a character reference that marked decodes in text
for (const char of '\\<![`*~_') RUN_CHARACTERS[char.charCodeAt(0)] = STOP
for (const char of 'hHfF') RUN_CHARACTERS[char.charCodeAt(0)] = SCHEME
RUN_CHARACTERS['w'.charCodeAt(0)] = WWW
RUN_CHARACTERS[' '.charCodeAt(0)] = SPACE
for (const char of '@:') RUN_CHARACTERS[char.charCodeAt(0)] = ADDRESS
RUN_CHARACTERS['&'.charCodeAt(0)] = REFERENCE

/** The characters before `www.` that let it start a link, as the expression's lookbehind lists them: `\s`, `*`, `_`, `~`, `(`. */
const BEFORE_WWW = /[\s*_~(]/

/** The characters of an e-mail address before its `@`, as marked's text expression lists them: 1 by code. */
const ADDRESS_CHARACTERS = new Uint8Array(128)
for (const char of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?_`{|}~-") ADDRESS_CHARACTERS[char.charCodeAt(0)] = 1
/** How far past a run an address's `@` is looked for; past that, marked's own expression decides. */
const ADDRESS_REACH = 256

/** Whether two or more spaces and then a line break start at `at`. */
function hardBreakAt(src: string, at: number): boolean {
  if (src.charCodeAt(at + 1) !== 32) return false
  let next = at + 2
  while (src.charCodeAt(next) === 32) next++
  return src.charCodeAt(next) === 10
}

/** Whether `word` (lower case, letters only) is at `at`, in any case. */
function wordAt(src: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if ((src.charCodeAt(at + i) | 32) !== word.charCodeAt(i)) return false
  }
  return true
}

/**
 * Whether marked's alternatives for addresses could end a text run that ends at `end` sooner or
 * there: an `@` that address characters lead to from it. (One in the run, or a `mailto:` or `xmpp:`,
 * the scan has found.) Only what follows the run is read, and not far.
 */
function addressNear(src: string, end: number): boolean {
  const reach = Math.min(src.length, end + ADDRESS_REACH)
  for (let at = end; at < reach; at++) {
    const code = src.charCodeAt(at)
    if (code === 64) return true
    if (ADDRESS_CHARACTERS[code] !== 1) return false
  }
  return reach < src.length
}

/**
 * The run of text at the start of `src` as marked's expression reads it, when it has no address
 * in or next to it; false to leave it to marked (a run with a character reference too, which
 * marked decodes), undefined when no text starts there.
 */
export function plainTextRun(src: string): string | false | undefined {
  const length = src.length
  if (length === 0) return undefined
  // The expression's first part: a run of backticks, a run of tildes, or any one character.
  const first = src.charCodeAt(0)
  if (first === 64 || (first === 38 && src.charCodeAt(1) === 35)) return false
  let start = 1
  if (first === 96 || first === 126) while (src.charCodeAt(start) === first) start++
  let end = start
  for (; end < length; end++) {
    const code = src.charCodeAt(end)
    if (code >= 128) continue
    const kind = RUN_CHARACTERS[code]
    if (kind === 0) continue
    if (kind === STOP) break
    if (kind === SCHEME) {
      if (code === 104 || code === 72 ? wordAt(src, end, 'http') : wordAt(src, end, 'ftp') && src.startsWith('://', end + 3)) break
    } else if (kind === WWW) {
      if (src.startsWith('www.', end) && BEFORE_WWW.test(src.charAt(end - 1))) break
    } else if (kind === SPACE) {
      // After the first part, only a space after something else starts a hard break the run stops at.
      if ((end === start || src.charCodeAt(end - 1) !== 32) && hardBreakAt(src, end)) break
    } else if (kind === ADDRESS) {
      if (code === 64 || src.startsWith('mailto', end - 6) || src.startsWith('xmpp', end - 4)) return false
    } else if (src.charCodeAt(end + 1) === 35) {
      return false
    }
  }
  if (addressNear(src, end)) return false
  return src.slice(0, end)
}

const blockShortcuts: MarkedExtension = {
  tokenizer: {
    inlineText(src) {
      const run = plainTextRun(src)
      if (typeof run !== 'string') return run
      return { type: 'text', raw: run, text: run, escaped: this.lexer.state.inRawBlock }
    },
    // A table's second line is its delimiter row: after up to three spaces, `|`, `:` or `-`.
    table(src) {
      const lineEnd = src.indexOf('\n')
      if (lineEnd === -1) return undefined
      let at = lineEnd + 1
      while (at < lineEnd + 4 && src.charCodeAt(at) === 32) at++
      const first = src.charCodeAt(at)
      return first === 124 || first === 58 || first === 45 ? false : undefined
    },
    // A setext heading's text cannot span a blank line, so its underline (`===` or `---`) comes
    // before the first one. Past a few lines marked's expression decides, so this stays short.
    lheading(src) {
      let lineStart = src.indexOf('\n') + 1
      for (let lines = 0; lineStart > 0 && lines < SETEXT_LOOKAHEAD_LINES; lines++) {
        const lineEnd = src.indexOf('\n', lineStart)
        const line = lineEnd === -1 ? src.slice(lineStart) : src.slice(lineStart, lineEnd)
        if (SETEXT_UNDERLINE.test(line)) return false
        if (lineEnd === -1 || WHITESPACE_ONLY.test(line)) return undefined
        lineStart = lineEnd + 1
      }
      return lineStart > 0 ? false : undefined
    },
  },
}

/**
 * The one Marked instance: GFM, heading ids, footnotes, highlighted code. Documents are lexed with
 * lex and rendered with renderMarkdown, not with its lexer or parse, which would skip the steps
 * they add: among them the bound on emphasis (emphasis.ts), without which a hostile paragraph can
 * take minutes.
 */
export const markdown = new Marked(
  { gfm: true },
  blockShortcuts,
  { renderer: { code: renderCode } },
  withAnchors(gfmHeadingId()),
  footnotes(),
  {
    // The policy of sanitize.ts, applied where marked would pass content through unchecked.
    renderer: {
      html: (token) => sanitizeHtml(token.text),
      link(token) {
        if (isSafeUrl(token.href)) return false
        return this.parser.parseInline(token.tokens)
      },
      image: (token) => (isSafeUrl(token.href) ? false : escapeText(token.text)),
      // A task list's boxes are read-only; a form control still needs a name for screen readers.
      checkbox: ({ checked }) =>
        `<input ${checked ? 'checked="" ' : ''}disabled="" type="checkbox" aria-label="${checked ? 'Done' : 'Not done'}"> `,
    },
  },
)

/**
 * gfmHeadingId's headings with a link to themselves in each h2–h4, for readers to copy; the theme
 * shows it on hover and focus. Wrapped rather than replaced, so that the ids and the heading list
 * (the table of contents) keep one source.
 */
function withAnchors(extension: MarkedExtension): MarkedExtension {
  const heading = extension.renderer?.heading
  if (!heading) throw new Error('marked-gfm-heading-id no longer renders headings itself')
  // Its one hook, which starts each document's ids afresh, is run by renderMarkdown instead.
  const { hooks: _resetByRenderMarkdown, ...rest } = extension
  return {
    ...rest,
    renderer: {
      ...extension.renderer,
      heading(token) {
        const html = heading.call(this, token)
        const last = getHeadingList().at(-1)
        if (html === false || token.depth < 2 || token.depth > 4 || !last) return html
        const close = html.lastIndexOf(`</h${token.depth}>`)
        const anchor = `<a class="anchor" href="#${escapeText(last.id)}" aria-label="Link to the section ${escapeText(headingText(last.text))}">#</a>`
        return `${html.slice(0, close)} ${anchor}${html.slice(close)}`
      },
    },
  }
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/**
 * A heading's words, from its rendered HTML: the extension's own `raw` drops characters such as
 * `&` and quotes, which the table of contents must keep.
 */
function headingText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''))
}

/** The tokens of a document, for reading rather than rendering. */
export function lex(source: string): Token[] {
  return new BoundedEmphasisLexer(markdown.defaults).lex(source)
}

export interface TocEntry {
  id: string
  text: string
  level: number
}

/** HTML made by the Markdown module from the author's content; views insert it unescaped. */
export type TrustedHtml = string & { readonly __trusted: unique symbol }

export interface RenderedMarkdown {
  html: TrustedHtml
  /** Second- and third-level headings, in order: the table of contents. */
  toc: TocEntry[]
}

/**
 * The document's HTML and table of contents. marked's parse, without hooks: an instance with any
 * hook computes the emphasis mask of every run of inline text, even one without `*`, `_` or `~`,
 * and that was a tenth of marked's time. So the two steps that were hooks are done here.
 */
export function renderMarkdown(source: string): RenderedMarkdown {
  resetHeadings()
  const tokens = lex(source)
  appendFootnotes(tokens)
  const html = markdown.parser(tokens)
  // Parsing is synchronous, so the heading list still belongs to this document.
  const toc = getHeadingList()
    .filter((h) => h.level === 2 || h.level === 3)
    .map((h) => ({ id: h.id, text: headingText(h.text), level: h.level }))
  return { html: asciiHtml(html) as TrustedHtml, toc }
}
