import { Hono } from 'hono'
import { findPage, findPost } from '../content/queries'
import type { AppEnv } from '../env'
import { renderMarkdown } from '../markdown/render'
import { Article, StaticPage } from '../views/Article'
import { blogPosting } from '../views/structured-data'
import { renderPage } from './render'
import { headOf } from './head'
import { labelTag, tagPage } from '../edge/cache'

const SLUG_FILE = /^[a-z0-9][a-z0-9_-]{0,199}\.html$/

export const posts = new Hono<AppEnv>()

posts.get('/:year{[0-9]{4}}/:month{[0-9]{2}}/:file{[^/]+\\.html}', async (c) => {
  const { year, month, file } = c.req.param()
  if (!SLUG_FILE.test(file)) return c.notFound()
  const head = headOf(c)
  const found = await findPost(c.env.CONTENT, head, `/${year}/${month}/${file}`, c.get('now'))
  if (!found) return c.notFound()
  tagPage(c, `post:${found.post.path}`, `month:${year}-${month}`, ...found.post.labels.map((l) => `label:${labelTag(l)}`))
  const { html, toc } = renderMarkdown(found.post.markdown)
  return renderPage(
    c,
    <Article site={head.site} post={found.post} html={html} toc={toc} older={found.older} newer={found.newer} />,
    {
      title: found.post.title,
      description: found.post.summary ?? found.summary.snippet,
      type: 'article',
      year,
      jsonLd: blogPosting(head.site, found.post, found.summary.snippet),
    },
  )
})

posts.get('/p/:file{[^/]+\\.html}', async (c) => {
  const file = c.req.param('file')
  if (!SLUG_FILE.test(file)) return c.notFound()
  const page = await findPage(c.env.CONTENT, headOf(c), file.slice(0, -'.html'.length))
  if (!page) return c.notFound()
  tagPage(c, `page:${page.slug}`)
  const { html } = renderMarkdown(page.markdown)
  return renderPage(c, <StaticPage title={page.title} html={html} />, {
    title: page.title,
    description: page.description,
  })
})
