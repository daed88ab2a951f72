import { raw } from 'hono/html'

// The theme's own characters beyond ASCII, as character references. workerd encodes a page to
// UTF-8 by copying while its characters are ASCII; from the first one that is not, it goes a
// character at a time. A middle dot in a post's byline, before its body, took the body with it:
// about 120 µs more for a 99 KB page, a tenth of what the rest of an uncached post page costs.

export const MIDDLE_DOT = raw('&middot;')
export const COPYRIGHT = raw('&copy;')
export const LEFT_ARROW = raw('&larr;')
export const RIGHT_ARROW = raw('&rarr;')
