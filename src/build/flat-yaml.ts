// A fast path for the front matter posts actually use: one `key: value` per line, where a value is
// a plain or quoted scalar on one line, a flow list `[a, b]` or a block list of such scalars. It
// answers exactly what the `yaml` library (YAML 1.2, core schema) answers for the input it accepts,
// and returns null for anything else (comments and blank lines aside), so that the library parses
// it and reports any error with its own message. Parsing every post with the library was the
// largest part of the publisher's build after Markdown.

export interface FlatMapping {
  data: Record<string, unknown>
  /** The line of each key in the text, from 1. */
  lines: Map<string, number>
}

const KEY = /^([A-Za-z][A-Za-z0-9_-]*):(?: +|$)/
// Characters that make a line, or a value, mean something this parser does not handle: control
// characters (tabs included), and those YAML reads specially or refuses.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/
// Plain scalars that start with one of these are flow or block syntax, or may resolve to
// something other than a string (numbers, .inf, .nan): left to the library.
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`+.0-9~]/
const NOT_STRING = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/
const INTEGER = /^[1-9][0-9]{0,14}$/
// A date as authors write them; in the core schema it is a string.
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?$/

/** Parses `text` if it is a flat mapping this parser fully understands; otherwise null. */
export function parseFlatYaml(text: string): FlatMapping | null {
  if (UNSAFE.test(text)) return null
  const data: Record<string, unknown> = {}
  const lines = new Map<string, number>()
  const rows = text.split('\n')
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as string
    if (isBlankOrComment(row)) continue
    const key = KEY.exec(row)
    if (!key) return null
    const name = key[1] as string
    // The library refuses implicit keys over 1,024 characters.
    if (name.length > 1000) return null
    // Duplicates are the library's error; keys it would read as booleans or null, its business.
    if (lines.has(name) || NOT_STRING.test(name) || name === 'y' || name === 'n') return null
    const rest = row.slice(key[0].length)
    const line = i + 1
    let value: unknown
    if (rest === '' || rest.startsWith('#')) {
      // `key:` alone: null, or the block list on the lines that follow.
      const list: unknown[] = []
      let indent = -1
      let j = i + 1
      for (; j < rows.length; j++) {
        const next = rows[j] as string
        if (isBlankOrComment(next)) continue
        const item = /^( *)- +(.*)$/.exec(next)
        if (!item) break
        const width = (item[1] as string).length
        if (indent === -1) indent = width
        else if (width !== indent) return null
        const scalar = readScalar(item[2] as string, false)
        if (scalar === FAIL) return null
        list.push(scalar)
      }
      if (list.length > 0) {
        // Whatever follows the list must start a new key at the margin, or the list means more.
        const after = rows[j]
        if (after !== undefined && !isBlankOrComment(after) && !KEY.test(after)) return null
        // A comment line between the key and the list, or inside it, is fine; a blank line too.
        i = j - 1
        value = list
      } else {
        const after = rows[i + 1]
        if (after !== undefined && after.startsWith(' ') && !isBlankOrComment(after)) return null
        value = null
      }
    } else {
      const next = rows[i + 1]
      // An indented line would continue a plain scalar or open a nested mapping.
      if (next !== undefined && next.startsWith(' ') && !isBlankOrComment(next)) return null
      value = rest.startsWith('[') ? readFlowList(rest) : readScalar(rest, false)
      if (value === FAIL) return null
    }
    data[name] = value
    lines.set(name, line)
  }
  // An empty document is null to the library, not an empty mapping: let it say so.
  return lines.size > 0 ? { data, lines } : null
}

const FAIL = Symbol('not understood')

function isBlankOrComment(row: string): boolean {
  return /^ *(?:#.*)?$/.test(row)
}

/** `rest` with a trailing ` # comment` and spaces removed, or FAIL if a `#` could mean more. */
function withoutComment(rest: string): string {
  const hash = rest.search(/ #/)
  return (hash === -1 ? rest : rest.slice(0, hash)).replace(/ +$/, '')
}

/** One scalar, the whole of `source` (a value, a block list item, or a flow list item). */
function readScalar(source: string, inFlow: boolean): unknown {
  const first = source[0]
  if (first === '"' || first === "'") {
    const quoted = first === '"' ? readDoubleQuoted(source) : readSingleQuoted(source)
    if (!quoted) return FAIL
    const tail = source.slice(quoted.end)
    if (!(inFlow ? /^ *$/ : /^ *(?: #.*)?$/).test(tail)) return FAIL
    return quoted.value
  }
  const plain = inFlow ? source.trim() : withoutComment(source)
  if (plain === '') return FAIL
  if (plain.includes(': ') || plain.endsWith(':') || plain.includes(' #')) return FAIL
  if (inFlow && /[,[\]{}#]/.test(plain)) return FAIL
  if (NOT_STRING.test(plain)) return plain[0] === 't' || plain[0] === 'T' ? true : plain[0] === 'f' || plain[0] === 'F' ? false : null
  if (INTEGER.test(plain)) return Number(plain)
  if (DATE.test(plain)) return plain
  if (PLAIN_START.test(plain)) return FAIL
  return plain
}

/** `"…"` on one line, with the escapes JSON shares with YAML, or null. */
function readDoubleQuoted(source: string): { value: string; end: number } | null {
  let value = ''
  for (let i = 1; i < source.length; i++) {
    const ch = source[i] as string
    if (ch === '"') return { value, end: i + 1 }
    if (ch !== '\\') {
      value += ch
      continue
    }
    const escaped = source[++i]
    if (escaped === '"' || escaped === '\\' || escaped === '/') value += escaped
    else if (escaped === 'n') value += '\n'
    else if (escaped === 't') value += '\t'
    else return null
  }
  return null
}

/** `'…'` on one line (`''` is a quote), or null. */
function readSingleQuoted(source: string): { value: string; end: number } | null {
  let value = ''
  for (let i = 1; i < source.length; i++) {
    const ch = source[i] as string
    if (ch !== "'") {
      value += ch
      continue
    }
    if (source[i + 1] !== "'") return { value, end: i + 1 }
    value += "'"
    i++
  }
  return null
}

/** `[a, "b", c]` on one line, or FAIL. */
function readFlowList(source: string): unknown[] | typeof FAIL {
  const close = source.lastIndexOf(']')
  if (close === -1 || !/^ *(?: #.*)?$/.test(source.slice(close + 1))) return FAIL
  const inner = source.slice(1, close)
  if (inner.trim() === '') return inner.includes('\n') ? FAIL : []
  const items: unknown[] = []
  for (const part of inner.split(',')) {
    const item = part.trim()
    // A quoted item with a comma in it was split: refuse rather than rejoin.
    if (item === '' || (/^["']/.test(item) && (item.length < 2 || item[item.length - 1] !== item[0]))) return FAIL
    const value = readScalar(item, true)
    if (value === FAIL || Array.isArray(value)) return FAIL
    items.push(value)
  }
  return items
}
