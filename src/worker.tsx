import { Hono } from 'hono'
import type { ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ContentUnavailableError, readHead } from './content/kv'
import { IMMUTABLE, stylesheetPath } from './edge/assets'
import type { AppEnv } from './env'
import { archives } from './routes/archives'
import { posts } from './routes/posts'
import { renderPage } from './routes/render'
import { search } from './routes/search'
import { BadRequest, NotFound, ServerError, Unavailable } from './views/Errors'
import { STYLESHEET } from './views/style'

const app = new Hono<AppEnv>()

app.get(stylesheetPath, (c) => c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': IMMUTABLE }))

app.use(async (c, next) => {
  c.set('now', Date.now())
  c.set('head', await readHead(c.env.CONTENT))
  await next()
})

app.route('/', archives)
app.route('/', posts)
app.route('/search', search)

app.notFound((c) => renderPage(c, <NotFound path={c.req.path} />, { title: 'Page not found', status: 404 }))

/** The one error path: log the whole error once, answer with a page and the right status. */
const renderError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HTTPException && err.status === 400) {
    return renderPage(c, <BadRequest problem={err.message} />, { title: 'Bad request', status: 400 })
  }
  if (err instanceof HTTPException && err.status === 503) {
    c.header('retry-after', '60')
    return renderPage(c, <Unavailable reason="This blog has not been published yet." />, { title: 'Unavailable', status: 503 })
  }
  if (err instanceof ContentUnavailableError) {
    console.error(err)
    c.header('retry-after', '30')
    return renderPage(c, <Unavailable reason="The blog's content could not be read just now." />, { title: 'Unavailable', status: 503 })
  }
  if (err instanceof HTTPException && err.status < 500) {
    return renderPage(c, <BadRequest problem={err.message} />, { title: 'Bad request', status: err.status as 400 })
  }
  console.error(err)
  return renderPage(c, <ServerError />, { title: 'Error', status: 500 })
}
app.onError(renderError)

export default app satisfies ExportedHandler<Env>
