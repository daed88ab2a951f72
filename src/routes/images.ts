import { readBlob } from '../content/kv'
import { type Image, ImageIndexSchema, ImageSchema } from '../content/schema'
import { tagPage } from '../edge/cache'
import { newApp } from './app'
import { headOf } from './head'

// The blog's images (content/images/, src/build/images.ts), at /images/ and their names. Through
// the edge cache like any page, and with the security headers of an image (src/edge/security.ts).

export const images = newApp()

/** Each image's bytes, decoded once for as long as the isolate holds its blob. */
const decoded = new WeakMap<Image, Uint8Array<ArrayBuffer>>()

function bytesOf(image: Image): Uint8Array<ArrayBuffer> {
  let bytes = decoded.get(image)
  if (!bytes) {
    const binary = atob(image.data)
    bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    decoded.set(image, bytes)
  }
  return bytes
}

images.get('/*', async (c) => {
  const head = headOf(c)
  if (!head.images) return c.notFound()
  // The build allows only names that are the same in a URL, so the path is looked up as it came.
  const name = c.req.path.slice('/images/'.length)
  const index = await readBlob(c.env.CONTENT, head.images, ImageIndexSchema)
  const hash = Object.hasOwn(index, name) ? index[name] : undefined
  if (!hash) return c.notFound()
  const image = await readBlob(c.env.CONTENT, hash, ImageSchema)
  tagPage(c, 'image')
  return c.body(bytesOf(image), 200, { 'content-type': image.type })
})
