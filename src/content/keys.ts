// The key names in KV, shared by the Worker and the publisher.

/** The only key that is ever overwritten: it names the live version. */
export const HEAD_KEY = 'head'
/** The heads published before the live one, newest first, for `versions` and `rollback`. */
export const HISTORY_KEY = 'head:history'
/** The stored form the deployed Worker reads (src/build/form.ts), written by `quire deploy`; only the CLI reads it. */
export const WORKER_FORM_KEY = 'worker-form'

const BLOB_PREFIX = 'blob:'

export const blobKey = (hash: string): string => BLOB_PREFIX + hash
export const isBlobKey = (key: string): boolean => key.startsWith(BLOB_PREFIX)
export const hashOfBlobKey = (key: string): string => key.slice(BLOB_PREFIX.length)

/** Where the blog's images are served: this and the name the images' index gives each one. */
export const IMAGES_PATH = '/images/'

/** Folds a label for matching, so `/search/label/django` finds the label written `Django`. */
export const labelKey = (name: string): string => name.normalize('NFC').toLowerCase()

/**
 * A blob's Markdown rendered, kept in KV under the renderer's version, so that a new renderer never
 * reads an old one's output. Written by the publisher and by the Worker, the same bytes from both.
 */
export const renderKey = (rendererVersion: string, name: string): string => `render:${rendererVersion}:${name}`

export const RENDERS_KEPT_PREFIX = 'renders-kept:'

/**
 * Written by a publish that kept the render of every post and page under this renderer version:
 * while it is there, a publish keeps only its new posts' renders.
 */
export const rendersKeptKey = (rendererVersion: string): string => `${RENDERS_KEPT_PREFIX}${rendererVersion}`

const encoder = new TextEncoder()
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** The SHA-256 of `text`'s UTF-8 bytes, in hex: what names a blob. */
export async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
  let hex = ''
  for (const byte of digest) hex += HEX[byte]
  return hex
}
