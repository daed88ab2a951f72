import { SCRIPT } from '../views/client'
import { FAVICON } from '../views/favicon'
import { STYLESHEET } from '../views/style'

/** FNV-1a: enough to tell one version of a file from the next in a URL. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

export interface Asset {
  path: string
  body: string
  contentType: string
}

// The URL changes whenever the bytes do, so browsers may keep the file for a year.
function asset(name: string, extension: string, body: string, contentType: string): Asset {
  return { path: `/assets/${name}.${shortHash(body)}.${extension}`, body, contentType }
}

export const stylesheet = asset('style', 'css', STYLESHEET, 'text/css; charset=utf-8')
export const script = asset('quire', 'js', SCRIPT, 'text/javascript; charset=utf-8')
export const favicon = asset('favicon', 'svg', FAVICON, 'image/svg+xml')
export const ASSETS: readonly Asset[] = [stylesheet, script, favicon]

export const stylesheetPath = stylesheet.path
export const scriptPath = script.path
export const faviconPath = favicon.path

export const IMMUTABLE = 'public, max-age=31536000, immutable'
