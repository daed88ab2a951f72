import type { MiddlewareHandler } from 'hono'
import { SCRIPT } from '../views/client'
import { FAVICON } from '../views/favicon'
import { STYLESHEET } from '../views/style'

/** The first four bytes of the text's SHA-256, in hex: enough to tell one version of a file from the next in a URL. */
async function shortHash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)), 0, 4)
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * A file served at /assets/NAME.HASH.EXT. The URL changes whenever the bytes do, so browsers may
 * keep the file for a year. The hash is the runtime's digest, taken once per isolate before the
 * app renders anything (`withAssetHashes`): a hash in JavaScript cost the first page of every
 * isolate a millisecond and a half, and one written into the source would be one more thing to
 * keep true.
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
    if (this.#path === undefined) throw new Error(`the ${this.name} asset has no hash yet: render behind the withAssetHashes middleware`)
    return this.#path
  }

  async hash(): Promise<void> {
    this.#path ??= `/assets/${this.name}.${await shortHash(this.body)}.${this.extension}`
  }
}

export const stylesheet = new Asset('style', 'css', STYLESHEET, 'text/css; charset=utf-8')
export const script = new Asset('quire', 'js', SCRIPT, 'text/javascript; charset=utf-8')
export const favicon = new Asset('favicon', 'svg', FAVICON, 'image/svg+xml')
const ASSETS: readonly Asset[] = [stylesheet, script, favicon]

let hashing: Promise<unknown> | undefined

/** Hashes every asset, once per isolate. */
function hashAssets(): Promise<unknown> {
  hashing ??= Promise.all(ASSETS.map((asset) => asset.hash())).catch((error: unknown) => {
    hashing = undefined // the next request tries again
    throw error
  })
  return hashing
}

/** The app's first middleware: every page, error pages included, links the assets under their hashes. */
export const withAssetHashes: MiddlewareHandler = async (_c, next) => {
  await hashAssets()
  await next()
}

/** The asset served at `path`, which must carry the current hash. */
export function assetAt(path: string): Asset | undefined {
  const name = path.slice('/assets/'.length).split('.')[0]
  const asset = ASSETS.find((a) => a.name === name)
  return asset?.path === path ? asset : undefined
}

export const IMMUTABLE = 'public, max-age=31536000, immutable'
