import { ContentError } from './errors'

// The blog's own images: every file under content/images/, served at /images/ and the same path.
// KV keeps values as text here as everywhere (blobs, the manifest, publish's read-back), so an
// image is a blob of JSON holding its media type and its bytes in base64: a third larger in KV,
// and decoded once per isolate, since the Worker keeps what it answered in its caches.

/** An image file as the publisher read it. */
export interface SourceImage {
  /** Relative to the project, as errors name it: `content/images/diagrams/flow.svg`. */
  path: string
  /** Relative to content/images/, with `/` between folders: its URL is `/images/` and this. */
  name: string
  /** The file's bytes, in base64. */
  data: string
}

/** The media types Quire serves images as, by file extension. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  gif: 'image/gif',
  ico: 'image/x-icon',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  svg: 'image/svg+xml',
  webp: 'image/webp',
}

/** KV keeps values of up to 25 MiB; in base64, within JSON, this is about 13.4. */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024

export const IMAGES_PATH = '/images/'

/** Names that are the same in a URL as on disk: no spaces, no escapes, no `..`. */
const IMAGE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/

/** The image's blob: what the Worker serves, as JSON. */
export interface ImageBlob {
  type: string
  data: string
}

const decodedBytes = (base64: string): number => Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0)

/** The images' blobs by name, in name order, recording every problem in `errors`. */
export function readImages(files: SourceImage[], errors: ContentError[]): { name: string; blob: ImageBlob }[] {
  const images: { name: string; blob: ImageBlob }[] = []
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const extension = /\.([^./]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? ''
    const type = IMAGE_TYPES[extension]
    if (!type) {
      errors.push(new ContentError(file.path, `is not an image Quire serves: name it .${Object.keys(IMAGE_TYPES).join(', .')}, or keep it outside content/images/`))
      continue
    }
    if (!IMAGE_NAME.test(file.name)) {
      errors.push(new ContentError(file.path, 'cannot be a URL as named: use letters, digits, ".", "_" and "-" in its name and its folders\' names'))
      continue
    }
    const bytes = decodedBytes(file.data)
    if (bytes > IMAGE_MAX_BYTES) {
      errors.push(new ContentError(file.path, `is ${(bytes / 1024 / 1024).toFixed(1)} MiB; an image may be at most ${IMAGE_MAX_BYTES / 1024 / 1024} MiB (KV's limit on a value, in base64)`))
      continue
    }
    images.push({ name: file.name, blob: { type, data: file.data } })
  }
  return images
}
