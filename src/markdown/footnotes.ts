import type { MarkedExtension, Token, Tokens } from 'marked'
import { escapeHtml } from './highlight'

// Footnotes, in the syntax and markup of GitHub (and of marked-footnote, which Quire used before):
// `[^label]` cites the note written as `[^label]: text`, further lines indented by four spaces.
// Notes are numbered in the order they are first cited, and listed at the end of the document.
//
// Each document's notes live beside its own tokens, so nothing carries over from one document to
// the next and nothing needs resetting; and no hook walks every token to move the list to the end.

interface FootnoteDefinition extends Tokens.Generic {
  type: 'footnote'
  label: string
  /** Its blocks, lexed; walkTokens reaches them through `childTokens`. */
  content: Token[]
  /** Its number once cited, 0 until then. */
  number: number
  citations: number
}

interface FootnoteReference extends Tokens.Generic {
  type: 'footnoteRef'
  label: string
  number: number
  /** Which citation of the note this is, from 0: each gets its own way back. */
  occurrence: number
}

interface FootnoteList extends Tokens.Generic {
  type: 'footnotes'
  notes: FootnoteDefinition[]
}

interface DocumentNotes {
  /** By label; the first definition of a label is the one cited. */
  defined: Map<string, FootnoteDefinition>
  /** In the order of their first citation. */
  cited: FootnoteDefinition[]
}

/** Keyed by a document's top-level token list, which marked's lexer hands to every tokenizer. */
const notesByDocument = new WeakMap<Token[], DocumentNotes>()

function notesOf(document: Token[]): DocumentNotes {
  let notes = notesByDocument.get(document)
  if (!notes) {
    notes = { defined: new Map(), cited: [] }
    notesByDocument.set(document, notes)
  }
  return notes
}

// The label, then the first line (possibly empty, the text starting on the next indented line),
// then any further lines indented by four spaces, blank lines between them allowed.
const DEFINITION = /^\[\^([^\]\n]+)\]:(?:[ \t]+|\n*?|$)([^\n]*?(?:\n|$)(?:\n*? {4,}[^\n]*)*)/
const REFERENCE = /^\[\^([^\]\n]+)\]/
// A note that ends in a list, a quote, a fence or a table row needs a blank line to close it.
const OPEN_BLOCK_LINE = /^[ \t]*?[>\-*] |`{3,}$|^[ \t]*?\|.+\|$/

/** A definition's text without the indentation that continues it. */
function noteSource(text: string): string {
  let source = ''
  for (const line of text.split('\n')) source += `\n${line.replace(/^(?: {4}|\t)/, '')}`
  const last = source.trimEnd().split('\n').pop()
  return last && OPEN_BLOCK_LINE.test(last) ? `${source}\n\n` : source
}

const startsWithCaretBracket = (src: string): boolean => src.charCodeAt(0) === 91 && src.charCodeAt(1) === 94

export function footnotes(): MarkedExtension {
  return {
    extensions: [
      {
        name: 'footnote',
        level: 'block',
        childTokens: ['content'],
        tokenizer(src) {
          if (!startsWithCaretBracket(src)) return undefined
          const match = DEFINITION.exec(src)
          if (!match) return undefined
          const [raw, label = '', text = ''] = match
          const definition: FootnoteDefinition = {
            type: 'footnote',
            raw,
            label,
            content: this.lexer.blockTokens(noteSource(text)),
            number: 0,
            citations: 0,
          }
          const { defined } = notesOf(this.lexer.tokens)
          if (!defined.has(label)) defined.set(label, definition)
          return definition
        },
        // Shown in the list at the end, not where it is written.
        renderer: () => '',
      },
      {
        name: 'footnoteRef',
        level: 'inline',
        tokenizer(src) {
          if (!startsWithCaretBracket(src)) return undefined
          const match = REFERENCE.exec(src)
          const notes = match && notesByDocument.get(this.lexer.tokens)
          const definition = notes?.defined.get(match?.[1] ?? '')
          // An undefined note stays text, as marked would write it.
          if (!match || !notes || !definition) return undefined
          if (definition.number === 0) definition.number = notes.cited.push(definition)
          const reference: FootnoteReference = {
            type: 'footnoteRef',
            raw: match[0],
            label: definition.label,
            number: definition.number,
            occurrence: definition.citations++,
          }
          return reference
        },
        renderer(token) {
          const { label, number, occurrence } = token as FootnoteReference
          const id = encodeURIComponent(label)
          return `<sup><a id="footnote-ref-${id}${citationSuffix(occurrence)}" href="#footnote-${id}" data-footnote-ref aria-describedby="footnote-label">${number}</a></sup>`
        },
      },
      {
        name: 'footnotes',
        renderer(token) {
          let items = ''
          for (const note of (token as FootnoteList).notes) {
            const id = encodeURIComponent(note.label)
            const body = this.parser.parse(note.content).trimEnd()
            // The ways back go at the end of the note's last paragraph, when it ends in one.
            const inParagraph = body.endsWith('</p>')
            let item = `<li id="footnote-${id}">\n${inParagraph ? body.slice(0, -'</p>'.length) : body}`
            const label = escapeHtml(`Back to reference ${note.label}`)
            for (let occurrence = 0; occurrence < note.citations; occurrence++) {
              const mark = occurrence > 0 ? `${BACK_ARROW}<sup>${occurrence + 1}</sup>` : BACK_ARROW
              item += ` <a href="#footnote-ref-${id}${citationSuffix(occurrence)}" data-footnote-backref aria-label="${label}">${mark}</a>`
            }
            items += `${item}${inParagraph ? '</p>\n' : '\n'}</li>\n`
          }
          return `<section class="footnotes" data-footnotes>\n<h2 id="footnote-label" class="sr-only">Footnotes</h2>\n<ol>\n${items}</ol>\n</section>\n`
        },
      },
    ],
  }
}

/**
 * Puts the list of the document's cited notes last. For the caller to run between lexing and
 * parsing: as a processAllTokens hook it would cost more than it does (see render.ts).
 */
export function appendFootnotes(document: Token[]): void {
  const notes = notesByDocument.get(document)
  if (notes && notes.cited.length > 0) {
    const list: FootnoteList = { type: 'footnotes', raw: '', notes: notes.cited }
    document.push(list)
  }
}

// A character reference, so that a page with footnotes can stay all Latin-1 (see Article.tsx).
const BACK_ARROW = '&#8617;'

const citationSuffix = (occurrence: number): string => (occurrence > 0 ? `-${occurrence + 1}` : '')
