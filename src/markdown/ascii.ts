// HTML with its few characters beyond ASCII written as character references. workerd encodes a
// page to UTF-8 by copying while its characters are ASCII; from the first one that is not, the rest
// of the page goes a character at a time: an arrow in a post's title took a 99 KB page's Response
// from about 20 µs to about 250 µs. The same text in a reader's browser; a few bytes more.

const BEYOND_ASCII = /[^\x00-\x7f]/
const EVERY_BEYOND_ASCII = /[^\x00-\x7f]/gu
/**
 * A reference takes 6 to 9 bytes where UTF-8 takes 2 to 4: a text with more than one such character
 * in this many (or more than a few in a short one), a post in Greek say, is left as it is.
 */
const SPARSE = 50
const FEW = 4

const reference = (char: string): string => `&#${char.codePointAt(0)};`

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export const isAscii = (text: string): boolean => !BEYOND_ASCII.test(text)

/**
 * An ASCII text made from a wider one (by `replace`, say), stored a byte a character: V8 keeps such
 * a string as wide as the one it came from, whatever it holds, and the runtime encodes it as slowly.
 */
export const narrowed = (ascii: string): string => decoder.decode(encoder.encode(ascii))

/** `html` with its characters beyond ASCII as references if they are few, else as it is. */
export function asciiHtml(html: string): string {
  if (isAscii(html)) return html
  // Counted only until there are too many: a post in Chinese stops here at once.
  const most = Math.max(FEW, html.length / SPARSE)
  let count = 0
  for (const _ of html.matchAll(EVERY_BEYOND_ASCII)) if (++count > most) return html
  return narrowed(html.replace(EVERY_BEYOND_ASCII, reference))
}
