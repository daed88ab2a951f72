import xss, { type IWhiteList } from 'xss'

// xss is CommonJS: its functions hang off the default export, which every bundler resolves.
const { escapeAttrValue, FilterXSS, friendlyAttrValue } = xss as unknown as typeof import('xss')

// The policy for what authors may write beyond Markdown. marked passes raw HTML through and
// does not check link schemes, so everything that reaches a page from content passes here:
//  - raw HTML keeps only the tags and attributes below; any other tag is dropped, and the content
//    of script, style and other active elements is dropped with it;
//  - no event handler or style attribute survives;
//  - a URL (href, src) must be relative or use http, https or mailto; anything else is removed.

const GLOBAL = ['class', 'id', 'title', 'lang', 'dir']
const TAGS: IWhiteList = {}
for (const tag of [
  'abbr', 'b', 'blockquote', 'br', 'caption', 'cite', 'code', 'dd', 'del', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'ins', 'kbd', 'li', 'mark',
  'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody',
  'tfoot', 'thead', 'tr', 'u', 'ul', 'var',
]) {
  TAGS[tag] = GLOBAL
}
TAGS.a = [...GLOBAL, 'href', 'name']
TAGS.img = [...GLOBAL, 'src', 'alt', 'width', 'height', 'loading']
TAGS.ol = [...GLOBAL, 'start', 'reversed']
TAGS.td = [...GLOBAL, 'colspan', 'rowspan', 'align']
TAGS.th = [...GLOBAL, 'colspan', 'rowspan', 'align', 'scope']
TAGS.time = [...GLOBAL, 'datetime']
TAGS.details = [...GLOBAL, 'open']

const ACTIVE_ELEMENTS = [
  'script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'noscript', 'textarea',
  'title', 'xmp', 'noembed', 'noframes', 'select', 'frameset', 'applet',
]

const SCHEME = /^([a-z][a-z0-9+.-]*):/
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto'])

/**
 * Whether a URL is safe to put in href or src. Browsers decode entities and ignore tabs,
 * newlines and case in a scheme, so the check does too.
 */
export function isSafeUrl(url: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
  const plain = friendlyAttrValue(url).replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase()
  const scheme = SCHEME.exec(plain)
  return !scheme || ALLOWED_SCHEMES.has(scheme[1] as string)
}

const filter = new FilterXSS({
  whiteList: TAGS,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ACTIVE_ELEMENTS,
  allowCommentTag: false,
  css: false,
  safeAttrValue(_tag, name, value) {
    if ((name === 'href' || name === 'src') && !isSafeUrl(value)) return ''
    return escapeAttrValue(value)
  },
})

// xss marks where an active element opened and never closed; the author's own text cannot contain
// the mark, because it is escaped first.
const UNCLOSED_MARK = '[removed]'

/**
 * Raw HTML from a post, reduced to what the policy above allows. An active element left open
 * swallows the rest of its HTML block, as it would in a browser.
 */
export function sanitizeHtml(html: string): string {
  const clean = filter.process(html.replaceAll(UNCLOSED_MARK, '&#91;removed]'))
  const unclosed = clean.indexOf(UNCLOSED_MARK)
  return unclosed === -1 ? clean : clean.slice(0, unclosed)
}
