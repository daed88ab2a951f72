import { raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { asciiHtml, isAscii } from '../markdown/ascii'
import { escapeHtml } from '../markdown/highlight'

// Pages kept ASCII (src/markdown/ascii.ts says why). The theme's own characters beyond it are
// references: a middle dot in every post's byline, before its body, took the body with it (about
// 120 µs more for a 99 KB page, a tenth of what the rest of an uncached post page costs).

export const MIDDLE_DOT = raw('&middot;')
export const COPYRIGHT = raw('&copy;')
export const LEFT_ARROW = raw('&larr;')
export const RIGHT_ARROW = raw('&rarr;')

/**
 * Text from the blog (a title, a snippet, a date in the site's language), for a page: escaped here,
 * with its few characters beyond ASCII as references, or as it is for the JSX to escape.
 */
export function asciiText(text: string): string | HtmlEscapedString {
  if (isAscii(text)) return text
  const escaped = escapeHtml(text)
  const html = asciiHtml(escaped)
  return html === escaped ? text : raw(html)
}
