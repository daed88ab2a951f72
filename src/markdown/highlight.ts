// Server-side syntax highlighting, small and fast enough to run on every uncached render.
//
// highlight.js did this job first, and cost more than marked itself: about 4 ms of the long
// post's render warm, and over 100 ms on the first render in a fresh isolate, where it compiles
// each language's grammar. A blog needs less than it offers: comments, strings, numbers, keywords
// and a few names, in the fifteen languages below. So a language here is a short list of rules,
// compiled once into one regular expression of alternatives; the earliest match wins, ties going
// to the rule listed first, and a word's class is found in a table rather than in a regex.
//
// The output keeps highlight.js's class names (`hljs-keyword`, `hljs-string`, …), so the theme and
// every page rendered before still match. Every character of the code is escaped exactly once, on
// its way out: the only markup here is `<span class="…">`, with class names from this module.

/** How a token is shown: a highlight.js scope (`keyword`, `title function_`), or plain text. */
export type Scope = string | null

export interface Rule {
  /** What the rule matches. Flags are ignored; no capture groups, no empty matches. */
  match: RegExp
  /** The scope of the whole match, or a function that writes it (for tokens with parts). */
  scope: Scope | ((text: string, out: string[]) => void)
}

export interface Language {
  rules: Rule[]
  /** Classes of words that no rule matched, such as keywords; looked up as written. */
  words?: Map<string, string>
  /** What counts as a word in this language, if not letters, digits, `_` and `$`. */
  word?: RegExp
  /** Look words up in lower case (SQL, Dockerfile). */
  caseInsensitive?: boolean
}

interface Compiled {
  regex: RegExp
  rules: Rule[]
  words?: Map<string, string>
  caseInsensitive: boolean
}

/** A word, for the word table: what remains after the rules. */
const WORD = /[A-Za-z_$][\w$]*/

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const ESCAPE_TEST = /[&<>"']/
const ESCAPE_ALL = /[&<>"']/g

export function escapeHtml(text: string): string {
  return ESCAPE_TEST.test(text) ? text.replace(ESCAPE_ALL, (ch) => ESCAPES[ch] as string) : text
}

/** Writes `text` in `scope`, escaped. */
export function span(scope: Scope, text: string, out: string[]): void {
  if (text === '') return
  if (scope === null) out.push(escapeHtml(text))
  else out.push(`<span class="hljs-${scope}">`, escapeHtml(text), '</span>')
}

const compiled = new WeakMap<Language, Compiled>()

function compile(language: Language): Compiled {
  let done = compiled.get(language)
  if (done) return done
  const rules = language.words ? [...language.rules, { match: language.word ?? WORD, scope: null }] : language.rules
  for (const rule of rules) {
    // A capture group would shift the groups that tell which rule matched.
    if (new RegExp(`${rule.match.source}|`).exec('')?.length !== 1) {
      throw new Error(`highlight rule ${rule.match} has a capture group: use (?:…)`)
    }
  }
  done = {
    regex: new RegExp(rules.map((r) => `(${r.match.source})`).join('|'), 'gm'),
    rules,
    words: language.words,
    caseInsensitive: language.caseInsensitive ?? false,
  }
  compiled.set(language, done)
  return done
}

/** Writes `code` highlighted as `language` into `out`. */
export function tokenize(language: Language, code: string, out: string[]): void {
  const { regex, rules, words, caseInsensitive } = compile(language)
  const wordRule = words ? rules.length - 1 : -1
  let pos = 0
  regex.lastIndex = 0
  for (let m = regex.exec(code); m !== null; m = regex.exec(code)) {
    const text = m[0]
    if (text === '') {
      regex.lastIndex++
      continue
    }
    if (m.index > pos) out.push(escapeHtml(code.slice(pos, m.index)))
    let i = 1
    while (m[i] === undefined) i++
    const rule = rules[i - 1] as Rule
    if (i - 1 === wordRule) {
      span(words?.get(caseInsensitive ? text.toLowerCase() : text) ?? null, text, out)
    } else if (typeof rule.scope === 'function') {
      rule.scope(text, out)
    } else {
      span(rule.scope, text, out)
    }
    pos = m.index + text.length
    // Sub-tokenizers reuse their own regex; this one carries on where its match ended.
    regex.lastIndex = pos
  }
  if (pos < code.length) out.push(escapeHtml(code.slice(pos)))
}

/** A word table: each scope with its words, separated by spaces. */
export function words(table: Record<string, string>): Map<string, string> {
  const map = new Map<string, string>()
  for (const [scope, list] of Object.entries(table)) {
    for (const word of list.split(/\s+/)) if (word) map.set(word, scope)
  }
  return map
}

/** A rule whose match is written in parts: `split` cuts it, and each part gets its scope. */
export function parts(split: RegExp, scopes: Scope[]): (text: string, out: string[]) => void {
  return (text, out) => {
    const m = split.exec(text)
    if (!m) {
      out.push(escapeHtml(text))
      return
    }
    for (let i = 1; i < m.length; i++) span(scopes[i - 1] ?? null, m[i] ?? '', out)
  }
}

/** A rule whose match is highlighted as another language, inside an optional scope. */
export function nested(language: Language, scope: Scope = null): (text: string, out: string[]) => void {
  return (text, out) => {
    if (scope) out.push(`<span class="hljs-${scope}">`)
    tokenize(language, text, out)
    if (scope) out.push('</span>')
  }
}

/** `code` highlighted as `language`, as HTML. */
export function highlight(language: Language, code: string): string {
  const out: string[] = []
  tokenize(language, code, out)
  return out.join('')
}
