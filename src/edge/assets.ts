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

/**
 * A file served at /assets/NAME.HASH.EXT. The URL changes whenever the bytes do, so browsers may
 * keep the file for a year. The hash is taken on first use rather than at start-up, where it cost
 * milliseconds of every isolate's start; an isolate that only serves cached pages never takes it.
 */
export class Asset {
  #path: string | undefined
  constructor(
    readonly name: string,
    readonly extension: string,
    readonly body: string,
    readonly contentType: string,
  ) {}

  get path(): string {
    this.#path ??= `/assets/${this.name}.${shortHash(this.body)}.${this.extension}`
    return this.#path
  }
}

export const stylesheet = new Asset('style', 'css', STYLESHEET, 'text/css; charset=utf-8')
export const script = new Asset('quire', 'js', SCRIPT, 'text/javascript; charset=utf-8')
export const favicon = new Asset('favicon', 'svg', FAVICON, 'image/svg+xml')
const ASSETS: readonly Asset[] = [stylesheet, script, favicon]

/** The asset served at `path`, which must carry the current hash; only that asset is hashed. */
export function assetAt(path: string): Asset | undefined {
  const name = path.slice('/assets/'.length).split('.')[0]
  const asset = ASSETS.find((a) => a.name === name)
  return asset?.path === path ? asset : undefined
}

export const IMMUTABLE = 'public, max-age=31536000, immutable'
