import { readHead } from '../../src/content/kv'
import { withAssetHashes } from '../../src/edge/assets'
import { newApp } from '../../src/routes/app'
import { posts } from '../../src/routes/posts'

/**
 * The whole post page without the edge cache in front: the Worker's post routes, in the layout,
 * after what the app's middleware does first (the asset hashes, the head, the time). What a cache
 * miss renders. The measuring Worker (in workerd) and the memory benchmark (in Node) share it.
 */
export const postPageApp = newApp()
postPageApp.use(withAssetHashes)
postPageApp.use(async (c, next) => {
  c.set('now', Date.now())
  c.set('head', await readHead(c.env.CONTENT))
  await next()
})
postPageApp.route('/', posts)
