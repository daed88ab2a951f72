import { escapeHtml, type Language, nested, parts, type Rule, span, tokenize, words } from './highlight'

// The languages a backend blog shows, for highlight.ts: what a reader needs to tell code apart at
// a glance (comments, strings, numbers, keywords, names being defined), not a parser's precision.
// Scopes are highlight.js's, so the theme's `.hljs-*` rules apply.

// Lookbehinds come after the first character, so the engine tries them only where a rule can start.
const LINE_COMMENT_HASH: Rule = { match: /#(?<=(?:^|[ \t])#).*/, scope: 'comment' }
const BLOCK_COMMENT: Rule = { match: /\/\*[\s\S]*?(?:\*\/|(?![\s\S]))/, scope: 'comment' }
// Strings end at their quote, or at the end of the line when a quote is missing.
const DOUBLE_QUOTED: Rule = { match: /"(?:[^"\\\n]|\\[\s\S])*"?/, scope: 'string' }
const SINGLE_QUOTED: Rule = { match: /'(?:[^'\\\n]|\\[\s\S])*'?/, scope: 'string' }
const NUMBER: Rule = {
  match: /\b(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[jJnLl]?\b/,
  scope: 'number',
}

const definition = (keyword: string, scope: string): Rule => ({
  match: new RegExp(`\\b${keyword}[ \\t]+[A-Za-z_$][\\w$]*`),
  scope: parts(new RegExp(`^(${keyword})([ \\t]+)(.*)$`), ['keyword', null, scope]),
})

/** A Python string; in an f-string, the `{…}` fields are highlighted as code. */
function pythonString(text: string, out: string[]): void {
  if (!/^[rRbBuU]?[fF]/.test(text)) {
    span('string', text, out)
    return
  }
  out.push('<span class="hljs-string">')
  let last = 0
  for (const m of text.matchAll(/\{\{|\}\}|\{[^{}\n]*\}/g)) {
    if (m[0] === '{{' || m[0] === '}}') continue
    out.push(escapeHtml(text.slice(last, m.index)), '<span class="hljs-subst">{')
    tokenize(python, m[0].slice(1, -1), out)
    out.push('}</span>')
    last = m.index + m[0].length
  }
  out.push(escapeHtml(text.slice(last)), '</span>')
}

export const python: Language = {
  rules: [
    { match: /#.*/, scope: 'comment' },
    { match: /(?:\b[rRbBuUfF]{1,2})?(?:"""[\s\S]*?(?:"""|(?![\s\S]))|'''[\s\S]*?(?:'''|(?![\s\S])))/, scope: pythonString },
    { match: /(?:\b[rRbBuUfF]{1,2})?(?:"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?)/, scope: pythonString },
    { match: /@[A-Za-z_][\w.]*/, scope: 'meta' },
    definition('def', 'title function_'),
    definition('class', 'title class_'),
    NUMBER,
  ],
  words: words({
    keyword:
      'and as assert async await break case class continue def del elif else except finally for from global if import in is lambda match nonlocal not or pass raise return try while with yield',
    literal: 'True False None Ellipsis NotImplemented',
    built_in:
      'abs all any bool bytes callable chr dict dir divmod enumerate filter float format frozenset getattr hasattr hash id input int isinstance issubclass iter len list map max min next object open ord print property range repr reversed round set setattr slice sorted staticmethod classmethod str sum super tuple type vars zip __name__ __init__ Exception ValueError TypeError KeyError RuntimeError',
    'variable language_': 'self cls',
  }),
}

const JS_WORDS = {
  keyword:
    'as async await break case catch class const continue debugger default delete do else export extends finally for from function if import in instanceof let new of return static switch throw try typeof var void while with yield',
  literal: 'true false null undefined NaN Infinity',
  'variable language_': 'this super arguments',
  built_in:
    'AbortController AbortSignal Array ArrayBuffer BigInt Boolean Date Error Headers Intl JSON Map Math Number Object Promise Proxy Reflect RegExp Request Response Set String Symbol TextDecoder TextEncoder TypeError URL URLSearchParams WeakMap WeakSet clearTimeout console crypto document fetch globalThis module process queueMicrotask require setInterval setTimeout structuredClone window',
}

/** A template literal, with `${…}` highlighted as code. */
function templateLiteral(language: () => Language): (text: string, out: string[]) => void {
  return (text, out) => {
    out.push('<span class="hljs-string">')
    let last = 0
    for (const m of text.matchAll(/\$\{[^{}`]*\}/g)) {
      out.push(escapeHtml(text.slice(last, m.index)), '<span class="hljs-subst">${')
      tokenize(language(), m[0].slice(2, -1), out)
      out.push('}</span>')
      last = m.index + m[0].length
    }
    out.push(escapeHtml(text.slice(last)), '</span>')
  }
}

function jsRules(language: () => Language): Rule[] {
  return [
    { match: /\/\/.*/, scope: 'comment' },
    BLOCK_COMMENT,
    DOUBLE_QUOTED,
    SINGLE_QUOTED,
    { match: /`(?:[^`\\]|\\[\s\S])*`?/, scope: templateLiteral(language) },
    // A property is a name, whatever its spelling: `this.entries.delete(key)`.
    { match: /\.[A-Za-z_$][\w$]*/, scope: null },
    definition('function\\*?', 'title function_'),
    definition('class', 'title class_'),
    NUMBER,
  ]
}

export const javascript: Language = { rules: jsRules(() => javascript), words: words(JS_WORDS) }

export const typescript: Language = {
  rules: [
    ...jsRules(() => typescript),
    definition('interface', 'title class_'),
    definition('type', 'title class_'),
    definition('enum', 'title class_'),
  ],
  words: words({
    ...JS_WORDS,
    keyword: `${JS_WORDS.keyword} abstract declare enum implements infer interface is keyof namespace override private protected public readonly satisfies type asserts`,
    built_in: `${JS_WORDS.built_in} any bigint boolean never number object string symbol unknown Partial Record Readonly Pick Omit`,
  }),
}

// `${` without its `}` runs to the end of the line, so a run of them is scanned once.
const SHELL_VARIABLE = /\$\{[^}\n]*\}?|\$[A-Za-z_]\w*|\$[#?@*!$0-9-]/

const IN_SHELL_STRING = new RegExp(`\\$\\([^()]*\\)|${SHELL_VARIABLE.source}`, 'g')

/** A double-quoted shell string: its variables shown as variables, `$(…)` as a command. */
function shellString(text: string, out: string[]): void {
  out.push('<span class="hljs-string">')
  let last = 0
  for (const m of text.matchAll(IN_SHELL_STRING)) {
    out.push(escapeHtml(text.slice(last, m.index)))
    if (m[0].startsWith('$(')) {
      out.push('<span class="hljs-subst">$(')
      tokenize(bash, m[0].slice(2, -1), out)
      out.push(')</span>')
    } else {
      span('variable', m[0], out)
    }
    last = m.index + m[0].length
  }
  out.push(escapeHtml(text.slice(last)), '</span>')
}

export const bash: Language = {
  rules: [
    { match: /^#!.*/, scope: 'meta' },
    { match: /#(?<=(?:^|[ \t;|&(])#).*/, scope: 'comment' },
    { match: /"(?:[^"\\]|\\[\s\S])*"?/, scope: shellString },
    { match: /'[^']*'?/, scope: 'string' },
    { match: SHELL_VARIABLE, scope: 'variable' },
    { match: /^[ \t]*[A-Za-z_][\w-]*(?=[ \t]*\(\))/, scope: 'title function_' },
  ],
  word: /[A-Za-z_][\w-]*/,
  words: words({
    keyword: 'if then else elif fi for while until do done case esac in function select time coproc',
    literal: 'true false',
    built_in:
      'alias bg bind builtin caller cd command compgen complete declare dirs disown echo enable eval exec exit export fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set shift shopt source suspend test times trap type typeset ulimit umask unalias unset wait break continue',
  }),
}

/** A terminal session: a prompt, then a command in bash; lines without a prompt are output. */
export const shell: Language = {
  rules: [
    {
      match: /^[ \t]{0,3}[\w~/.[\]()@:-]*[$#%>](?=[ \t]|$).*/,
      scope: (text, out) => {
        const m = /^([ \t]{0,3}[\w~/.[\]()@:-]*[$#%>])([\s\S]*)$/.exec(text)
        span('meta', m?.[1] ?? '', out)
        tokenize(bash, m?.[2] ?? text, out)
      },
    },
  ],
}

export const sql: Language = {
  rules: [
    { match: /--.*/, scope: 'comment' },
    BLOCK_COMMENT,
    { match: /'(?:[^']|'')*'?/, scope: 'string' },
    // A quoted identifier is a name, not a string; it is matched so that no keyword is found in it.
    { match: /"(?:[^"]|"")*"?/, scope: null },
    NUMBER,
  ],
  caseInsensitive: true,
  words: words({
    keyword:
      'abort add all alter analyze and as asc begin between buffers by cascade case check collate column commit concurrently constraint create cross database default delete desc distinct do drop else end except exists explain filter for foreign from full function grant group having if ilike in index inner insert intersect into is join key language lateral left like limit materialized natural not nothing nulls offset on only or order outer over partition primary recursive references rename replace returning revoke right rollback row rows schema select sequence set table temporary then to transaction trigger truncate union unique update using vacuum values view when where window with',
    literal: 'true false null unknown',
    type: 'bigint bigserial bit bool boolean bytea char character date decimal double float int integer interval json jsonb money numeric precision real serial smallint text time timestamp timestamptz uuid varchar varying zone',
    built_in:
      'abs array_agg avg cast coalesce count current_date current_timestamp date_trunc dense_rank extract lag lead length lower max min now nullif rank round row_number string_agg substring sum to_char trim upper',
  }),
}

export const json: Language = {
  rules: [
    { match: /"(?:[^"\\\n]|\\.)*"(?=\s*:)/, scope: 'attr' },
    DOUBLE_QUOTED,
    { match: /-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/, scope: 'number' },
    { match: /\b(?:true|false|null)\b/, scope: 'literal' },
    { match: /\/\/.*/, scope: 'comment' },
    BLOCK_COMMENT,
  ],
}

const YAML_KEY_END = '(?=[ \\t]*:(?:[ \\t]|$))'

export const yaml: Language = {
  rules: [
    LINE_COMMENT_HASH,
    { match: /^(?:---|\.\.\.)(?=[ \t]|$)/, scope: 'meta' },
    // A key: a plain one starts only after a character that cannot be in it, so that a long run of
    // key characters without a colon is scanned once, not once per character.
    {
      match: new RegExp(`"(?:[^"\\\\\\n]|\\\\.)*"${YAML_KEY_END}|'[^'\\n]*'${YAML_KEY_END}|[\\w./-](?<=(?:^|[^\\w./-])[\\w./-])[\\w./-]*${YAML_KEY_END}`),
      scope: 'attr',
    },
    DOUBLE_QUOTED,
    { match: /'(?:[^'\n]|'')*'?/, scope: 'string' },
    { match: /-(?=[ \t]|$)(?<=^[ \t]*-)/, scope: 'bullet' },
    { match: /[&*][\w-]+/, scope: 'symbol' },
    { match: /!!?[\w-]+/, scope: 'type' },
    { match: /(?<![\w.:/@-])[-+]?\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.:/-])/, scope: 'number' },
  ],
  words: words({ literal: 'true false yes no null True False Yes No Null TRUE FALSE NULL' }),
}

export const ini: Language = {
  rules: [
    { match: /^[ \t]*[;#].*/, scope: 'comment' },
    { match: /^[ \t]*\[\[?[^\]\n]*\]\]?/, scope: 'section' },
    { match: /^[ \t]*[\w.\-"']+(?=[ \t]*=)/, scope: 'attr' },
    { match: /"""[\s\S]*?(?:"""|(?![\s\S]))|"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?/, scope: 'string' },
    { match: /\$\{?\w+\}?/, scope: 'variable' },
    { match: /(?<![\w.-])[-+]?\d[\d_]*(?:\.\d+)?(?![\w.:-])/, scope: 'number' },
  ],
  words: words({ literal: 'true false yes no on off' }),
}

// Instructions whose arguments are a shell command, highlighted as bash, as highlight.js did.
const DOCKER_SHELL = ['RUN', 'CMD', 'ENTRYPOINT', 'VOLUME', 'ADD', 'COPY', 'WORKDIR', 'LABEL', 'HEALTHCHECK', 'SHELL']
const DOCKER_OTHER = ['FROM', 'ENV', 'ARG', 'EXPOSE', 'USER', 'ONBUILD', 'STOPSIGNAL', 'MAINTAINER']
const either = (names: string[]) => names.flatMap((n) => [n, n.toLowerCase()]).join('|')

export const dockerfile: Language = {
  rules: [
    { match: /^[ \t]*#.*/, scope: 'comment' },
    {
      match: new RegExp(`^[ \\t]*(?:${either(DOCKER_SHELL)})[ \\t](?:[^\\n\\\\]|\\\\[\\s\\S])*`),
      scope: (text, out) => {
        const m = /^([ \t]*)(\w+)([\s\S]*)$/.exec(text)
        span(null, m?.[1] ?? '', out)
        span('keyword', m?.[2] ?? '', out)
        tokenize(bash, m?.[3] ?? '', out)
      },
    },
    { match: new RegExp(`^[ \\t]*(?:${either(DOCKER_OTHER)})(?=[ \\t])`), scope: 'keyword' },
    DOUBLE_QUOTED,
    SINGLE_QUOTED,
    { match: /\$\{[^}\n]*\}?|\$\w+/, scope: 'variable' },
    NUMBER,
  ],
  words: words({ keyword: 'AS as' }),
}

const NGINX_BLOCKS = new Set(['events', 'geo', 'http', 'if', 'limit_except', 'location', 'map', 'mail', 'server', 'split_clients', 'stream', 'types', 'upstream'])

export const nginx: Language = {
  rules: [
    { match: /#.*/, scope: 'comment' },
    DOUBLE_QUOTED,
    SINGLE_QUOTED,
    { match: /\$\{?\w+\}?/, scope: 'variable' },
    {
      // The first word of a statement: a directive, or the name of a block.
      match: /(?:^|(?<=[{;]))[ \t]*[A-Za-z_][\w-]*/,
      scope: (text, out) => {
        const name = text.trimStart()
        span(null, text.slice(0, text.length - name.length), out)
        span(NGINX_BLOCKS.has(name) ? 'section' : 'attribute', name, out)
      },
    },
    { match: /\b\d+(?:\.\d+)*(?::\d+)?[kKmMgGsShHdDwWyY]?\b/, scope: 'number' },
  ],
  words: words({ literal: 'on off yes no true false none' }),
}

const TAG_INNER: Language = {
  rules: [
    { match: /^<\/?[\w:.-]+/, scope: parts(/^(<\/?)([\s\S]*)$/, [null, 'name']) },
    { match: /[\w:.-]+(?=\s*=)/, scope: 'attr' },
    { match: /"[^"]*"?|'[^']*'?/, scope: 'string' },
  ],
}

const XML_RULES: Rule[] = [
  { match: /<!--[\s\S]*?(?:-->|(?![\s\S]))/, scope: 'comment' },
  { match: /<!\[CDATA\[[\s\S]*?(?:\]\]>|(?![\s\S]))/, scope: null },
  { match: /<![A-Za-z][^>]*>?|<\?[\s\S]*?(?:\?>|(?![\s\S]))/, scope: 'meta' },
  { match: /<\/?[A-Za-z][\w:.-]*(?:[^>"']|"[^"]*"|'[^']*')*>?/, scope: nested(TAG_INNER, 'tag') },
  { match: /&(?:#\d+|#[xX][\da-fA-F]+|[A-Za-z]\w*);/, scope: 'symbol' },
]

export const xml: Language = { rules: XML_RULES }

const TEMPLATE_INNER: Language = {
  rules: [
    { match: /^\{%-?[ \t]*\w+/, scope: parts(/^(\{%-?[ \t]*)(\w+)$/, [null, 'name']) },
    { match: /\|[ \t]*\w+/, scope: parts(/^(\|[ \t]*)(\w+)$/, [null, 'name']) },
    DOUBLE_QUOTED,
    SINGLE_QUOTED,
    NUMBER,
  ],
  words: words({ keyword: 'in and or not is as with only', literal: 'True False None true false none' }),
}

/** Django and Jinja templates: template tags over HTML. */
export const django: Language = {
  rules: [
    { match: /\{#[\s\S]*?(?:#\}|(?![\s\S]))/, scope: 'comment' },
    { match: /\{%-?[ \t]*comment[ \t]*-?%\}[\s\S]*?(?:\{%-?[ \t]*endcomment[ \t]*-?%\}|(?![\s\S]))/, scope: 'comment' },
    { match: /\{%[\s\S]*?(?:%\}|(?![\s\S]))/, scope: nested(TEMPLATE_INNER, 'template-tag') },
    { match: /\{\{[\s\S]*?(?:\}\}|(?![\s\S]))/, scope: nested(TEMPLATE_INNER, 'template-variable') },
    ...XML_RULES,
  ],
}

export const diff: Language = {
  rules: [
    { match: /^(?:\+\+\+|---|\*\*\*)(?:[ \t].*)?$|^(?:diff|index|Index:|new file mode|deleted file mode|similarity index|rename from|rename to)\b.*|^={3,}.*|^\*{15}$/, scope: 'comment' },
    { match: /^@@.*/, scope: 'meta' },
    { match: /^[+>!].*/, scope: 'addition' },
    { match: /^[-<].*/, scope: 'deletion' },
  ],
}

export const plaintext: Language = { rules: [] }

/** Every fence name Quire highlights, aliases included; anything else is shown as plain text. */
export const LANGUAGES: ReadonlyMap<string, Language> = new Map([
  ['bash', bash], ['sh', bash], ['zsh', bash], ['console', bash],
  ['shell', shell],
  ['diff', diff], ['patch', diff],
  ['django', django], ['jinja', django],
  ['dockerfile', dockerfile], ['docker', dockerfile],
  ['ini', ini], ['toml', ini], ['systemd', ini],
  ['javascript', javascript], ['js', javascript], ['jsx', javascript], ['mjs', javascript], ['cjs', javascript],
  ['json', json],
  ['nginx', nginx], ['nginxconf', nginx],
  ['plaintext', plaintext], ['text', plaintext], ['txt', plaintext],
  ['python', python], ['py', python],
  ['sql', sql],
  ['typescript', typescript], ['ts', typescript], ['tsx', typescript],
  ['xml', xml], ['html', xml], ['xhtml', xml], ['svg', xml],
  ['yaml', yaml], ['yml', yaml],
])

/** A fenced block's code as highlighted HTML, in the fence's language or as plain text. */
export function highlightCode(code: string, lang: string): string {
  const language = LANGUAGES.get(lang.toLowerCase()) ?? plaintext
  if (language.rules.length === 0 && !language.words) return escapeHtml(code)
  const out: string[] = []
  tokenize(language, code, out)
  return out.join('')
}
