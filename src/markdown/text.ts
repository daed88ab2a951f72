import type { Token, Tokens } from 'marked'
import { decodeEntities } from './entities'
import { lex } from './render'

// What the publisher learns from a post's Markdown: its plain text (for snippets), its reading
// time and its headings (for search). Stored in the index shards, so a list of posts never parses
// Markdown, and computed from one pass of the lexer.

const SKIPPED = new Set(['code', 'html', 'space', 'hr', 'table', 'image', 'footnotes', 'footnoteRef', 'def'])

function collect(tokens: Token[], out: string[], headings: string[], codeWords: { count: number }): void {
  for (const token of tokens) {
    if (token.type === 'code') codeWords.count += countWords(token.text)
    if (SKIPPED.has(token.type)) continue
    if (token.type === 'br') {
      out.push(' ')
      continue
    }
    const start = out.length
    const children = (token as Tokens.Generic).tokens
    const items = (token as Tokens.List).items
    if (items) collect(items, out, headings, codeWords)
    else if (children && children.length > 0) collect(children, out, headings, codeWords)
    else if ('text' in token && typeof token.text === 'string') out.push(decodeEntities(token.text))
    if (token.type === 'heading') headings.push(out.slice(start).join('').trim())
    if (token.type === 'heading' || token.type === 'paragraph' || token.type === 'list_item') out.push(' ')
  }
}

export const WORDS_PER_MINUTE = 230

export interface TextFacts {
  /** Headings and prose, without code, tables, images or raw HTML. */
  plain: string
  /** Minutes to read, at least 1. Code counts at half weight: readers skim it. */
  minutes: number
  /** The text of every heading, in order. */
  headings: string[]
}

export function textFacts(source: string): TextFacts {
  const out: string[] = []
  const headings: string[] = []
  const codeWords = { count: 0 }
  collect(lex(source), out, headings, codeWords)
  return factsFrom(out, headings, codeWords.count)
}

/**
 * The facts from what a reading of the Markdown collected: the text of its prose in order (blocks
 * separated by whitespace), its headings and the number of words in its code. Shared with the
 * publisher's faster reading of simple Markdown (src/build/text-facts.ts), so both count alike.
 */
export function factsFrom(out: string[], headings: string[], codeWords: number): TextFacts {
  const plain = out.join('').replace(/\s+/g, ' ').trim()
  // Its words are separated by single spaces now: counting those is countWords(plain), sooner.
  let words = plain === '' ? 0 : 1
  for (let i = plain.indexOf(' '); i !== -1; i = plain.indexOf(' ', i + 1)) words++
  const minutes = Math.max(1, Math.round((words + codeWords / 2) / WORDS_PER_MINUTE))
  return { plain, minutes, headings }
}

export const plainText = (source: string): string => textFacts(source).plain
export const readingMinutes = (source: string): number => textFacts(source).minutes

/** Blogger's snippet: plain text cut at a word boundary near `length` characters, then `...`. */
export function snippet(text: string, length = 200): string {
  if (text.length <= length) return `${text}...`
  const cut = text.slice(0, length + 1)
  const lastSpace = cut.lastIndexOf(' ')
  const head = lastSpace > length * 0.6 ? cut.slice(0, lastSpace) : text.slice(0, length)
  return `${head.replace(/[\s,;:.!?\-–—]+$/, '')}...`
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}
