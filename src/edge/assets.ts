import { STYLESHEET } from '../views/style'

/** FNV-1a: enough to tell one stylesheet from the next in a URL. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

// The URL changes whenever the bytes do, so browsers may keep the file for a year.
export const stylesheetPath = `/assets/style.${shortHash(STYLESHEET)}.css`

export const IMMUTABLE = 'public, max-age=31536000, immutable'
