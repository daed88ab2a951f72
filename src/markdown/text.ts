import type { Token, Tokens } from 'marked'
import { lex } from './render'

// Plain text of a post, for snippets and reading time. Computed by the publisher and stored in the
// index shards, so that a list of posts never parses Markdown.

const SKIPPED = new Set(['code', 'html', 'space', 'hr', 'table', 'image', 'footnotes', 'footnoteRef', 'def'])

function collect(tokens: Token[], out: string[]): void {
  for (const token of tokens) {
    if (SKIPPED.has(token.type)) continue
    if (token.type === 'br') {
      out.push(' ')
      continue
    }
    const children = (token as Tokens.Generic).tokens
    const items = (token as Tokens.List).items
    if (items) collect(items, out)
    else if (children && children.length > 0) collect(children, out)
    else if ('text' in token && typeof token.text === 'string') out.push(decodeEntities(token.text))
    if (token.type === 'heading' || token.type === 'paragraph' || token.type === 'list_item') out.push(' ')
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" }

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ENTITIES[name] ?? '')
}

/** The words a reader reads: headings and prose, without code, tables, images or raw HTML. */
export function plainText(source: string): string {
  const out: string[] = []
  collect(lex(source), out)
  return out.join('').replace(/\s+/g, ' ').trim()
}

/** Blogger's snippet: plain text cut at a word boundary near `length` characters, then `...`. */
export function snippet(text: string, length = 200): string {
  if (text.length <= length) return `${text}...`
  const cut = text.slice(0, length + 1)
  const lastSpace = cut.lastIndexOf(' ')
  const head = lastSpace > length * 0.6 ? cut.slice(0, lastSpace) : text.slice(0, length)
  return `${head.replace(/[\s,;:.!?\-–—]+$/, '')}...`
}

const WORDS_PER_MINUTE = 230

/** Minutes to read, at least 1. Code counts at half weight: readers skim it. */
export function readingMinutes(source: string): number {
  const proseWords = countWords(plainText(source))
  let codeWords = 0
  for (const token of lex(source)) {
    if (token.type === 'code') codeWords += countWords(token.text)
  }
  return Math.max(1, Math.round((proseWords + codeWords / 2) / WORDS_PER_MINUTE))
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}
