import { findPage, findPost } from '../content/queries'
import { renderedPage, renderedPost } from '../content/rendered'
import { Article, StaticPage } from '../views/Article'
import { blogPosting } from '../views/structured-data'
import { renderPage } from './render'
import { deferTo, headOf } from './head'
import { labelTag, tagPage } from '../edge/cache'
import { newApp } from './app'

const SLUG_FILE = /^[a-z0-9][a-z0-9_-]{0,199}\.html$/

export const posts = newApp()

posts.get('/:year{[0-9]{4}}/:month{[0-9]{2}}/:file{[^/]+\\.html}', async (c) => {
  const { year, month, file } = c.req.param()
  if (!SLUG_FILE.test(file)) return c.notFound()
  const head = headOf(c)
  const found = await findPost(c.env.CONTENT, head, `/${year}/${month}/${file}`, c.get('now'))
  if (!found) return c.notFound()
  const { summary } = found
  tagPage(c, `post:${summary.path}`, `month:${year}-${month}`, ...summary.labels.map((l) => `label:${labelTag(l)}`))
  const { post, html, toc } = await renderedPost(c.env.CONTENT, summary.hash, deferTo(c))
  return renderPage(
    c,
    <Article site={head.site} post={post} html={html} toc={toc} older={found.older} newer={found.newer} />,
    {
      title: post.title,
      description: post.summary ?? summary.snippet,
      type: 'article',
      year,
      jsonLd: blogPosting(head.site, post, summary.snippet),
    },
  )
})

posts.get('/p/:file{[^/]+\\.html}', async (c) => {
  const file = c.req.param('file')
  if (!SLUG_FILE.test(file)) return c.notFound()
  const hash = findPage(headOf(c), file.slice(0, -'.html'.length))
  if (!hash) return c.notFound()
  const { page, html } = await renderedPage(c.env.CONTENT, hash, deferTo(c))
  tagPage(c, `page:${page.slug}`)
  return renderPage(c, <StaticPage title={page.title} html={html} />, {
    title: page.title,
    description: page.description,
  })
})
