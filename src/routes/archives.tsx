import { Hono } from 'hono'
import { archiveShardsFor, listPosts, liveMonths } from '../content/queries'
import { monthName } from '../content/time'
import type { AppEnv } from '../env'
import { PostList } from '../views/PostList'
import { olderPostsUrl } from '../views/urls'
import { headOf } from './head'
import { tagPage } from '../edge/cache'
import { renderPage } from './render'

export const archives = new Hono<AppEnv>()

archives.get('/', async (c) => {
  const head = headOf(c)
  const perPage = head.site.postsPerPage
  const list = await listPosts(c.env.CONTENT, head.archive, { now: c.get('now'), limit: perPage })
  tagPage(c, 'home')
  const last = list.posts.at(-1)
  const olderUrl = list.more && last ? olderPostsUrl('/search', last, perPage) : null
  return renderPage(c, <PostList site={head.site} list={list} olderUrl={olderUrl} />, { next: olderUrl })
})

archives.get('/:year{[0-9]{4}}/:month{[0-9]{2}}/', async (c) => {
  const { year, month } = c.req.param()
  const head = headOf(c)
  const now = c.get('now')
  const key = `${year}-${month}`
  const count = liveMonths(head, now).find((m) => m.month === key)?.count
  if (!count) return c.notFound()
  const prefix = `/${year}/${month}/`
  tagPage(c, `month:${key}`)
  const list = await listPosts(c.env.CONTENT, archiveShardsFor(head, key), {
    now,
    limit: count,
    where: (post) => post.path.startsWith(prefix),
  })
  const heading = `Showing posts from ${monthName(Number(month))}, ${year}`
  return renderPage(c, <PostList site={head.site} list={list} status={heading} />, {
    title: `${monthName(Number(month))} ${year}`,
    description: `Posts from ${monthName(Number(month))} ${year}`,
    year,
  })
})

archives.get('/:year{[0-9]{4}}/', async (c) => {
  const year = c.req.param('year')
  const head = headOf(c)
  const now = c.get('now')
  if (!liveMonths(head, now).some((m) => m.month.startsWith(`${year}-`))) return c.notFound()
  const perPage = head.site.postsPerPage
  const prefix = `/${year}/`
  tagPage(c, `year:${year}`)
  const list = await listPosts(c.env.CONTENT, archiveShardsFor(head, `${year}-`), {
    now,
    limit: perPage,
    where: (post) => post.path.startsWith(prefix),
  })
  const last = list.posts.at(-1)
  const olderUrl = list.more && last ? olderPostsUrl('/search', last, perPage) : null
  return renderPage(c, <PostList site={head.site} list={list} status={`Showing posts from ${year}`} olderUrl={olderUrl} />, {
    title: year,
    description: `Posts from ${year}`,
    next: olderUrl,
    year,
  })
})

// Blogger's archive URLs end in a slash; send the bare forms there.
archives.get('/:year{[0-9]{4}}/:month{[0-9]{2}}', (c) => c.redirect(`${c.req.path}/`, 301))
archives.get('/:year{[0-9]{4}}', (c) => c.redirect(`${c.req.path}/`, 301))
