import { decodeEntities } from '../markdown/entities'
import { countWords, factsFrom, snippet, type TextFacts, textFacts, WORDS_PER_MINUTE } from '../markdown/text'

// The publisher needs each post's plain text, reading time and headings, and lexing every post
// with marked was the largest part of its build. Most posts are simple Markdown: paragraphs, ATX
// headings, fenced code, one-line list items, inline code, `*em*`, `**strong**` and `[links](url)`.
// `simpleTextFacts` reads exactly that subset in one pass and returns null at the first thing it
// does not fully understand (a blockquote, a table, raw HTML, an escape, a bare URL, nested or
// intraword emphasis, …), so that marked reads the post instead. Whenever it answers, the answer
// is the one `textFacts` gives: tests/unit/text-facts.test.ts holds it to that on the sample
// posts, on the benchmark corpus and on thousands of random mixtures of awkward Markdown.

/** What the publisher keeps of a post's text: its snippet, reading time and headings. */
export interface PostFacts {
  /** `snippet(plain)` of text.ts: the start of the plain text, cut near 200 characters. */
  snippet: string
  minutes: number
  headings: string[]
}

/** The facts the publisher needs from a post, without marked when the Markdown is simple. */
export function postFacts(source: string): PostFacts {
  const read = readSimple(source)
  if (!read) {
    const facts = textFacts(source)
    return { snippet: snippet(facts.plain), minutes: facts.minutes, headings: facts.headings }
  }
  // The same numbers as factsFrom, without collapsing the whitespace of the whole text: words are
  // counted where they stand, and only the start of the text is collapsed, for the snippet.
  const text = read.out.join('')
  const minutes = Math.max(1, Math.round((countWordRuns(text) + read.codeWords / 2) / WORDS_PER_MINUTE))
  return { snippet: snippet(plainStart(text, SNIPPET_LENGTH + 2)), minutes, headings: read.headings }
}

/** What `textFacts(source)` returns, if the Markdown is simple enough to read without marked. */
export function simpleTextFacts(source: string): TextFacts | null {
  const read = readSimple(source)
  return read && factsFrom(read.out, read.headings, read.codeWords)
}

const SNIPPET_LENGTH = 200

/**
 * The first `length` characters of `text` with its whitespace collapsed and trimmed, as factsFrom
 * makes the plain text, or all of it if shorter: collapsing reads left to right, so the start of
 * the collapsed start is the start of the collapsed whole (but for its last character).
 */
function plainStart(text: string, length: number): string {
  for (let cut = 4 * length; ; cut *= 2) {
    if (cut >= text.length) return text.replace(/\s+/g, ' ').trim()
    const start = text.slice(0, cut).replace(/\s+/g, ' ').trimStart()
    if (start.length > length) return start.slice(0, length)
  }
}

const WHITESPACE = /\s/

/** countWords(text): the runs of characters other than whitespace (`\s`), counted in place. */
export function countWordRuns(text: string): number {
  let words = 0
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const space = code <= 32 ? code === 32 || (code >= 9 && code <= 13) : code >= 160 && WHITESPACE.test(text.charAt(i))
    if (!space && !inWord) words++
    inWord = !space
  }
  return words
}

const BLANK = /^ *$/
const FENCE = /^(`{3,})([^`]*)$/
const ATX = /^(#{1,6})(?: |$)/
const HR = /^(?:(?:- *){3,}|(?:_ *){3,}|(?:\* *){3,})$/
const ITEM = /^[-*+] /
// Starts of a line that, inside a paragraph, might begin another block or underline it.
const NOT_CONTINUATION = /^[ #>\-*+=`~<|:_[]|^\d{1,9}[.)]/
// Starts of a block this reader leaves to marked: indented code, quotes, HTML, tables, other
// fences, definitions and footnotes, ordered lists.
const UNHANDLED_BLOCK = /^(?:[ >|<~=_#]|[-*+](?: |$)|`{3}|\[[^\]]*\]:|\[\^)|^\d{1,9}[.)](?: |$)/
// Item contents that would make a block inside the item.
const UNHANDLED_ITEM = /^(?:[ >|<~#]|[-*+](?: |$)|`{3}|\[[ xX]\]|\[[^\]]*\]:|\[\^)|^\d{1,9}[.)](?: |$)/

interface SimpleReading {
  /** What `collect` in text.ts gathers: the prose in order, blocks separated by spaces. */
  out: string[]
  headings: string[]
  codeWords: number
}

/** The prose, headings and code words of `source` if it is simple Markdown, or null. */
function readSimple(source: string): SimpleReading | null {
  const src = source.includes('\r') ? source.replace(/\r\n|\r/g, '\n') : source
  if (/[\0\t]/.test(src)) return null
  const lines = src.split('\n')
  const out: string[] = []
  const headings: string[] = []
  let codeWords = 0
  let i = 0
  while (i < lines.length) {
    const line = lines[i] as string
    if (line === '' || (line.charCodeAt(0) === 32 && BLANK.test(line))) {
      i++
      continue
    }
    // A line that starts with a letter can only be a paragraph's; anything else may open a block.
    if (!startsWithLetter(line)) {
      const fence = FENCE.exec(line)
      if (fence) {
        // Up to the first line that closes it (up to three spaces, the same run, more backticks or
        // tildes, spaces), or to the end of the document.
        const close = new RegExp(`^ {0,3}${fence[1]}[~\`]* *$`)
        let end = i + 1
        while (end < lines.length && !close.test(lines[end] as string)) end++
        codeWords += countWords(lines.slice(i + 1, end).join('\n'))
        i = end + 1
        continue
      }
      if (ATX.test(line)) {
        const text = headingText(line)
        const inline = inlineText(text)
        if (inline === null) return null
        out.push(inline, ' ')
        headings.push(inline.trim())
        i++
        continue
      }
      if (HR.test(line)) {
        i++
        continue
      }
      if (ITEM.test(line)) {
        // One-line items only: a list ends at a blank line or the end, or it is left to marked.
        for (; i < lines.length && ITEM.test(lines[i] as string); i++) {
          const content = (lines[i] as string).slice(2)
          if (BLANK.test(content) || UNHANDLED_ITEM.test(content) || HR.test(content)) return null
          const inline = inlineText(content)
          if (inline === null) return null
          out.push(inline, ' ')
        }
        if (i < lines.length && !BLANK.test(lines[i] as string)) return null
        continue
      }
      if (UNHANDLED_BLOCK.test(line)) return null
      if (UNHANDLED_BLOCK.test(line)) return null
    }
    let end = i + 1
    while (end < lines.length) {
      const next = lines[end] as string
      if (next === '' || BLANK.test(next)) break
      if (!startsWithLetter(next) && NOT_CONTINUATION.test(next)) return null
      end++
    }
    const inline = inlineText(lines.slice(i, end).join('\n'))
    if (inline === null) return null
    out.push(inline, ' ')
    i = end
  }
  return { out, headings, codeWords }
}

/** Whether `line` starts with an ASCII letter. */
function startsWithLetter(line: string): boolean {
  const code = line.charCodeAt(0) | 32
  return code >= 97 && code <= 122
}

/** An ATX heading's text, as marked cuts it: trimmed, without a closing run of `#`. */

function headingText(line: string): string {
  let text = line.replace(ATX, '').trim()
  if (text.endsWith('#')) {
    const trimmed = text.replace(/#+$/, '')
    if (!trimmed || trimmed.endsWith(' ')) text = trimmed.trim()
  }
  return text
}

const ALNUM = /[A-Za-z0-9]/
// Text marked might turn into a link by itself, or read as a character reference.
const AUTOLINKISH = /:\/\/|www\.|mailto:|xmpp:|&#/i
const EMPHASIS = /^(\*{1,2})([A-Za-z0-9](?:[A-Za-z0-9 '-]*[A-Za-z0-9])?)(\*{1,2})(?![*])/
const AFTER_EMPHASIS = /^(?:$|[ \n.,;:!?)])/
const SPECIAL = /[`*_[\]\\<~@!]/g
const LINK = /^\[([^\][`*_\\<>!~@&^\n]*)\]\(([^\s()<>\\"'`]+)\)/

/**
 * The text of an inline run as `collect` in text.ts gathers it from marked's tokens (text, code
 * spans, emphasis and link text, entities decoded), or null if it holds anything else.
 */
function inlineText(text: string): string | null {
  const parts: string[] = []
  // Most runs of plain text are free of anything that needs a second look.
  const suspicious = AUTOLINKISH.test(text)
  let plainStart = 0
  let i = 0
  while (true) {
    SPECIAL.lastIndex = i
    if (!SPECIAL.exec(text)) break
    i = SPECIAL.lastIndex - 1
    const ch = text[i] as string
    if (ch === '`') {
      let run = 1
      while (text[i + run] === '`') run++
      const close = closingBackticks(text, i + run, run)
      if (close === -1 || !plainRun(text, plainStart, i, suspicious, parts)) return null
      let code = text.slice(i + run, close).replace(/\n/g, ' ')
      if (/[^ ]/.test(code) && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1)
      parts.push(decodeEntities(code))
      i = close + run
      plainStart = i
    } else if (ch === '*') {
      const before = i === 0 ? ' ' : (text[i - 1] as string)
      const em = EMPHASIS.exec(text.slice(i, i + 200))
      if ((before !== ' ' && before !== '\n') || !em || em[1] !== em[3]) return null
      const end = i + em[0].length
      if (!AFTER_EMPHASIS.test(text.slice(end, end + 1)) || !plainRun(text, plainStart, i, suspicious, parts)) return null
      parts.push(em[2] as string)
      i = end
      plainStart = i
    } else if (ch === '_') {
      // Only between letters or digits, where it is never emphasis: snake_case.
      if (i === 0 || !ALNUM.test(text[i - 1] as string) || !ALNUM.test(text[i + 1] ?? '')) return null
      i++
    } else if (ch === '[') {
      const link = text[i - 1] === '!' ? null : LINK.exec(text.slice(i, i + 2100))
      if (!link || !plainRun(text, plainStart, i, suspicious, parts)) return null
      const label = link[1] as string
      if (AUTOLINKISH.test(label)) return null
      parts.push(decodeEntities(label))
      i += link[0].length
      plainStart = i
    } else if (ch === '!' && text[i + 1] !== '[') {
      i++
    } else {
      // `]`, `\\`, `<`, `~`, `@` or an image.
      return null
    }
  }
  return plainRun(text, plainStart, text.length, suspicious, parts) ? parts.join('') : null
}

/** Adds the plain text from `start` to `end`, unless it might be a link marked finds by itself. */
function plainRun(text: string, start: number, end: number, suspicious: boolean, parts: string[]): boolean {
  if (end <= start) return true
  const plain = text.slice(start, end)
  if (suspicious && AUTOLINKISH.test(plain)) return false
  parts.push(plain.includes('&') ? decodeEntities(plain) : plain)
  return true
}

/** Where the run of exactly `run` backticks that closes a code span starts, or -1. */
function closingBackticks(text: string, from: number, run: number): number {
  // The content starts and ends with something other than a backtick.
  if (text[from] === '`' || from >= text.length) return -1
  let i = from
  while ((i = text.indexOf('`', i)) !== -1) {
    let length = 1
    while (text[i + length] === '`') length++
    if (length === run) return i
    i += length
  }
  return -1
}
