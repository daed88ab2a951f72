import type { ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ContentUnavailableError } from './content/checked'
import { assetAt, IMMUTABLE, withAssetHashes } from './edge/assets'
import { ALLOWED_METHODS, answerFromCache, edgeCache } from './edge/cache'
import { NO_STORE } from './edge/lifetimes'
import { securityHeaders } from './edge/security'
import type { AppEnv } from './env'
import { newApp } from './routes/app'
import { archives } from './routes/archives'
import { posts } from './routes/posts'
import { renderPage } from './routes/render'
import { search } from './routes/search'
import { feedAliases, feeds } from './routes/feeds'
import { images } from './routes/images'
import { seo } from './routes/seo'
import { BadRequest, NotFound, ServerError, Unavailable } from './views/Errors'

const app = newApp()

app.use(withAssetHashes)
app.use(securityHeaders)

// Anything else under /assets/ (an old hash, say) falls through to the 404 page.
app.get('/assets/:file', (c, next) => {
  const asset = assetAt(c.req.path)
  if (!asset) return next()
  return c.body(asset.body, 200, { 'content-type': asset.contentType, 'cache-control': IMMUTABLE })
})

app.use(edgeCache)
app.route('/', archives)
app.route('/', posts)
app.route('/search', search)
app.route('/feeds', feeds)
app.route('/', feedAliases)
app.route('/', seo)
app.route('/', images)

app.notFound((c) => renderPage(c, <NotFound path={c.req.path} />, { title: 'Page not found', status: 404 }))

/** The one error path: log the whole error once, answer with a page and the right status. */
const renderError: ErrorHandler<AppEnv> = (err, c) => {
  c.header('cache-control', NO_STORE)
  if (err instanceof ContentUnavailableError) {
    console.error(`content version ${c.get('head')?.version ?? 'unknown'}:`, err)
    c.header('retry-after', '30')
    return renderPage(c, <Unavailable reason="The blog's content could not be read just now." />, { title: 'Unavailable', status: 503 })
  }
  if (err instanceof HTTPException && err.status === 503) {
    c.header('retry-after', '60')
    return renderPage(c, <Unavailable reason="This blog has not been published yet." />, { title: 'Unavailable', status: 503 })
  }
  if (err instanceof HTTPException && err.status < 500) {
    if (err.status === 405) c.header('allow', ALLOWED_METHODS)
    const title = err.status === 405 ? 'Method not allowed' : 'Bad request'
    return renderPage(c, <BadRequest title={title} problem={err.message} />, { title, status: err.status as 400 })
  }
  console.error(err)
  return renderPage(c, <ServerError />, { title: 'Error', status: 500 })
}
app.onError(renderError)

// A page the caches hold is answered before Hono routes the request: on a hit, routing and
// middleware would be most of the work. The app stays the default export (tests and benchmarks
// call its fetch and request), so its fetch is the one replaced.
const route = app.fetch
app.fetch = (request, env, ctx) => answerFromCache(request, env as Env | undefined, () => route(request, env, ctx))

export default app satisfies ExportedHandler<Env>
