import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import diff from 'highlight.js/lib/languages/diff'
import django from 'highlight.js/lib/languages/django'
import dockerfile from 'highlight.js/lib/languages/dockerfile'
import ini from 'highlight.js/lib/languages/ini'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import nginx from 'highlight.js/lib/languages/nginx'
import plaintext from 'highlight.js/lib/languages/plaintext'
import python from 'highlight.js/lib/languages/python'
import shell from 'highlight.js/lib/languages/shell'
import sql from 'highlight.js/lib/languages/sql'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'
import { Marked, type Token } from 'marked'
import markedFootnote from 'marked-footnote'
import { getHeadingList, gfmHeadingId } from 'marked-gfm-heading-id'
import { markedHighlight } from 'marked-highlight'
import { isSafeUrl, sanitizeHtml } from './sanitize'

// Only the languages a backend blog uses are registered: each one costs start-up time in every
// isolate, and an unknown fence falls back to plain, escaped text.
const LANGUAGES = {
  bash, diff, django, dockerfile, ini, javascript, json, nginx, plaintext, python, shell, sql,
  typescript, xml, yaml,
}
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language)
hljs.registerAliases(['sh', 'zsh', 'console'], { languageName: 'bash' })
hljs.registerAliases(['html', 'jinja'], { languageName: 'xml' })
hljs.registerAliases(['text', 'txt'], { languageName: 'plaintext' })
hljs.registerAliases(['toml', 'systemd'], { languageName: 'ini' })

/** The one Marked instance: GFM, heading ids, footnotes, highlighted code. */
export const markdown = new Marked(
  { gfm: true },
  markedHighlight({
    emptyLangClass: 'hljs',
    langPrefix: 'hljs language-',
    highlight(code, lang) {
      const language = hljs.getLanguage(lang) ? lang : 'plaintext'
      return hljs.highlight(code, { language, ignoreIllegals: true }).value
    },
  }),
  gfmHeadingId(),
  markedFootnote(),
  {
    // The policy of sanitize.ts, applied where marked would pass content through unchecked.
    renderer: {
      html: (token) => sanitizeHtml(token.text),
      link(token) {
        if (isSafeUrl(token.href)) return false
        return this.parser.parseInline(token.tokens)
      },
      image: (token) => (isSafeUrl(token.href) ? false : escapeText(token.text)),
    },
  },
)

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/**
 * The tokens of a document, for reading rather than rendering. Extensions keep per-document state
 * that only their walkTokens hook resets, so lexing alone must walk the tokens too.
 */
export function lex(source: string): Token[] {
  const tokens = markdown.lexer(source)
  const walk = markdown.defaults.walkTokens
  if (walk) markdown.walkTokens(tokens, walk)
  return tokens
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

export function renderMarkdown(source: string): RenderedMarkdown {
  const html = markdown.parse(source, { async: false })
  // Parsing is synchronous, so the heading list still belongs to this document.
  const toc = getHeadingList()
    .filter((h) => h.level === 2 || h.level === 3)
    .map((h) => ({ id: h.id, text: h.raw, level: h.level }))
  return { html: html as TrustedHtml, toc }
}
