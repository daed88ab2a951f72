import { isMap, isScalar, LineCounter, parseDocument } from 'yaml'
import { ContentError } from './errors'
import { parseFlatYaml } from './flat-yaml'

export interface FrontMatter {
  data: Record<string, unknown>
  body: string
  /** The line of `field`'s key in the file, for error messages. */
  lineOf(field: string): number | undefined
}

const OPENING = /^---[ \t]*\r?\n/
const CLOSING = /\r?\n---[ \t]*(?:\r?\n|$)/

/** Splits `---`-fenced YAML from the Markdown that follows and parses it, keeping positions. */
export function parseFrontMatter(file: string, text: string, errors: ContentError[]): FrontMatter | null {
  const source = text.replace(/^\uFEFF/, '')
  const opening = OPENING.exec(source)
  if (!opening) {
    errors.push(new ContentError(file, 'the file must start with front matter between two "---" lines', { line: 1 }))
    return null
  }
  const rest = source.slice(opening[0].length)
  const closing = CLOSING.exec(`\n${rest}`)
  if (!closing) {
    errors.push(new ContentError(file, 'the front matter is not closed by a "---" line', { line: 1 }))
    return null
  }
  const yamlText = `\n${rest}`.slice(1, closing.index + 1)
  const body = `\n${rest}`.slice(closing.index + closing[0].length)
  return parseYamlMapping(file, yamlText, errors, 1, body)
}

/** Parses a YAML mapping (front matter or `site.yaml`); `lineOffset` lines precede it in the file. */
export function parseYamlMapping(
  file: string,
  yamlText: string,
  errors: ContentError[],
  lineOffset = 0,
  body = '',
): FrontMatter | null {
  // Most front matter is a few flat lines: read those directly, and give the library the rest
  // (and every error, so that its messages and positions stay the ones authors see).
  const flat = parseFlatYaml(yamlText)
  if (flat) {
    const { data, lines } = flat
    return { data, body, lineOf: (field) => (lines.has(field) ? (lines.get(field) as number) + lineOffset : undefined) }
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0]
      errors.push(
        new ContentError(file, `YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`, {
          line: pos ? pos.line + lineOffset : undefined,
          column: pos?.col,
        }),
      )
    }
    return null
  }
  const contents = doc.contents
  if (contents !== null && !isMap(contents)) {
    errors.push(new ContentError(file, 'expected "field: value" lines', { line: 1 + lineOffset }))
    return null
  }
  const lines = new Map<string, number>()
  for (const pair of contents?.items ?? []) {
    if (isScalar(pair.key) && pair.key.range) {
      lines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line + lineOffset)
    }
  }
  const data = (doc.toJS() ?? {}) as Record<string, unknown>
  return { data, body, lineOf: (field) => lines.get(field) }
}
