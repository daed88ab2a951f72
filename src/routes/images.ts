import { IMAGES_PATH } from '../content/keys'
import { readBlob, readBlobBytes } from '../content/kv'
import { ImageIndexSchema } from '../content/schema'
import { tagPage } from '../edge/cache'
import { newApp } from './app'
import { headOf } from './head'

// The blog's images (content/images/, src/build/images.ts), at /images/ and their names: the index
// the head names, then the image's bytes as KV keeps them. Through the edge cache like any page,
// with the security headers of an image (src/edge/security.ts).

export const images = newApp()

images.get(`${IMAGES_PATH}*`, async (c) => {
  const head = headOf(c)
  if (!head.images) return c.notFound()
  // The build allows only names that are the same in a URL, so the path is looked up as it came.
  const name = c.req.path.slice(IMAGES_PATH.length)
  const index = await readBlob(c.env.CONTENT, head.images, ImageIndexSchema)
  const image = Object.hasOwn(index, name) ? index[name] : undefined
  if (!image) return c.notFound()
  const bytes = await readBlobBytes(c.env.CONTENT, image.hash)
  tagPage(c, 'image')
  return c.body(bytes, 200, { 'content-type': image.type })
})
