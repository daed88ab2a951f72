import { ContentError } from './errors'

// The blog's own images: every file under content/images/, served at /images/ and the same path.
// An image's blob is its bytes, as KV keeps them and the Worker sends them, with nothing to parse
// or decode (a JSON blob of base64 cost about 10 ms of CPU a megabyte, over a free plan's budget).
// The build, which deals in text, holds them in base64, and the publisher uploads them decoded.

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

/** Within KV's 25 MiB a value, and a sensible bound on what a reader should download for one picture. */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024

/** Names that are the same in a URL as on disk: no spaces, no escapes, no `..`. */
const IMAGE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/

const decodedBytes = (base64: string): number => Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0)

/** The images by name, in name order, each with its media type, recording every problem in `errors`. */
export function readImages(files: SourceImage[], errors: ContentError[]): { name: string; type: string; data: string }[] {
  const images: { name: string; type: string; data: string }[] = []
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
      errors.push(new ContentError(file.path, `is ${(bytes / 1024 / 1024).toFixed(1)} MiB; an image may be at most ${IMAGE_MAX_BYTES / 1024 / 1024} MiB`))
      continue
    }
    images.push({ name: file.name, type, data: file.data })
  }
  return images
}
