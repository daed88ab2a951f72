import { Lexer, type MarkedOptions, type Token, Tokenizer, type Tokens } from 'marked'

/**
 * marked pairs an emphasis or strikethrough opener by reading every later run of its delimiter in
 * the paragraph until the runs balance, then lexes the span it found again from its start. So a
 * paragraph of openers that close far away, or never, costs the square of its length, and spans
 * nested a couple of thousand deep overflow the stack: 137 KiB of `*a **a ` … `b` … ` a** a*` did
 * not finish in 20 s.
 * Here an opener looks for its closer among the next RUNS_IN_REACH runs of its delimiter only, and
 * a run longer than LONGEST_RUN opens nothing; what is not closed within reach stays literal text.
 * Ordinary emphasis is far within both bounds, and marked reads it as before.
 */
const RUNS_IN_REACH = 32
const LONGEST_RUN = 8
const DELIMITERS = ['*', '_', '~'] as const

/**
 * Whether no opener in a run of inline text can reach past the bounds: no delimiter run is longer
 * than LONGEST_RUN, and no delimiter has more than RUNS_IN_REACH runs. marked's emphasis mask only
 * takes delimiters away, so what holds for the text holds for the mask.
 */
function withinReach(text: string): boolean {
  for (const delimiter of DELIMITERS) {
    let runs = 0
    for (let at = text.indexOf(delimiter); at !== -1; at = text.indexOf(delimiter, at)) {
      const start = at
      while (text[at] === delimiter) at++
      if (at - start > LONGEST_RUN || ++runs > RUNS_IN_REACH) return false
    }
  }
  return true
}

type DelimiterScan = (this: Tokenizer, src: string, maskedSrc: string, prevChar?: string) => Token | undefined

/** Whether a run at `at` can close: marked's own first test, that it does not follow whitespace. */
function canClose(maskedSrc: string, at: number): boolean {
  const before = maskedSrc.charCodeAt(at - 1)
  return before !== 32 && before !== 9 && before !== 10 && before !== 13 && before !== 12
}

/**
 * Where the runs in reach of an opener end, and whether one of them can close: the same for every
 * opener in one run, which marked tries at each of its delimiters in turn.
 */
const NO_REACH = { maskedSrc: '', from: -1, delimiter: '', reach: 0, closable: false }
let lastReach = NO_REACH

function reachFrom(maskedSrc: string, from: number, delimiter: string): typeof lastReach {
  if (lastReach.from === from && lastReach.maskedSrc === maskedSrc && lastReach.delimiter === delimiter) return lastReach
  let reach = maskedSrc.length
  let closable = false
  let runs = 0
  for (let next = maskedSrc.indexOf(delimiter, from); next !== -1; next = maskedSrc.indexOf(delimiter, next)) {
    if (++runs > RUNS_IN_REACH) {
      reach = next
      break
    }
    closable ||= canClose(maskedSrc, next)
    while (maskedSrc[next] === delimiter) next++
  }
  lastReach = { maskedSrc, from, delimiter, reach, closable }
  return lastReach
}

/**
 * marked's scan (emStrong or del) for the opener at the start of `src`, given the text only up to
 * the first run of its delimiter out of reach. `src` is what is left of the run of inline text and
 * `maskedSrc` all of it with code, links and escapes masked; runs are counted on the mask, where
 * marked pairs them.
 */
function scanWithinReach(scan: DelimiterScan, tokenizer: Tokenizer, src: string, maskedSrc: string, prevChar?: string) {
  const delimiter = src[0]!
  const at = maskedSrc.length - src.length
  let runStart = at
  while (maskedSrc[runStart - 1] === delimiter && at - runStart < LONGEST_RUN) runStart--
  let length = 0
  while (src[length] === delimiter && length < LONGEST_RUN) length++
  if (maskedSrc[runStart - 1] === delimiter || src[length] === delimiter || at - runStart + length > LONGEST_RUN) return undefined

  const { reach, closable } = reachFrom(maskedSrc, at + length, delimiter)
  if (!closable) return undefined
  if (reach === maskedSrc.length) return scan.call(tokenizer, src, maskedSrc, prevChar)
  // marked reads the two characters before the run, for flanking.
  return scan.call(tokenizer, src.slice(0, reach - at), maskedSrc.slice(Math.max(0, runStart - 2), reach), prevChar)
}

const markedEmStrong = Tokenizer.prototype.emStrong
const markedDel = Tokenizer.prototype.del

function emStrongWithinReach(this: Tokenizer, src: string, maskedSrc: string, prevChar?: string) {
  if (src[0] !== '*' && src[0] !== '_') return undefined
  return scanWithinReach(markedEmStrong, this, src, maskedSrc, prevChar) as Tokens.Em | Tokens.Strong | undefined
}

function delWithinReach(this: Tokenizer, src: string, maskedSrc: string, prevChar?: string) {
  if (src[0] !== '~') return undefined
  return scanWithinReach(markedDel, this, src, maskedSrc, prevChar) as Tokens.Del | undefined
}

/**
 * marked's lexer, whose emphasis and strikethrough keep within reach in a run of inline text that
 * is not within it already. Only there: when a tokenizer's emStrong or del is not marked's own,
 * marked masks every run of text for emphasis, even one without a delimiter, which cost a
 * fifteenth of a long post's render. The Marked instance's tokenizer is changed for that run and
 * the runs nested in it, then restored; lexing is synchronous, so no other document sees it.
 */
export class BoundedEmphasisLexer extends Lexer {
  private readonly instanceTokenizer: Tokenizer

  constructor(options: MarkedOptions) {
    super(options)
    const tokenizer = this.options.tokenizer
    if (!tokenizer || tokenizer.emStrong !== markedEmStrong || tokenizer.del !== markedDel) {
      throw new Error("an extension replaced marked's emphasis or strikethrough: review emphasis.ts")
    }
    this.instanceTokenizer = tokenizer
  }

  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    const tokenizer = this.instanceTokenizer
    if (tokenizer.emStrong === emStrongWithinReach || withinReach(src)) return super.inlineTokens(src, tokens)
    tokenizer.emStrong = emStrongWithinReach
    tokenizer.del = delWithinReach
    try {
      return super.inlineTokens(src, tokens)
    } finally {
      tokenizer.emStrong = markedEmStrong
      tokenizer.del = markedDel
      lastReach = NO_REACH
    }
  }
}
