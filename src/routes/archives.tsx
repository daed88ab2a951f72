import { archiveShardsFor, listPosts, liveMonths } from '../content/queries'
import { monthName } from '../content/time'
import { PostList } from '../views/PostList'
import { olderPostsUrl } from '../views/urls'
import { headOf } from './head'
import { tagPage } from '../edge/cache'
import { datedPage } from './paging'
import { renderPage } from './render'
import { newApp } from './app'

export const archives = newApp()

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
  const key = `${year}-${month}`
  if (!liveMonths(head, c.get('now')).some((m) => m.month === key)) return c.notFound()
  const prefix = `/${year}/${month}/`
  tagPage(c, `month:${key}`)
  const name = `${monthName(Number(month))} ${year}`
  // A busy month is paged like any list, and its older pages stay the month's.
  return datedPage(c, archiveShardsFor(head, key), prefix, {
    status: `Showing posts from ${monthName(Number(month))}, ${year}`,
    title: name,
    description: `Posts from ${name}`,
    year,
    where: (path) => path.startsWith(prefix),
  })
})

archives.get('/:year{[0-9]{4}}/', async (c) => {
  const year = c.req.param('year')
  const head = headOf(c)
  if (!liveMonths(head, c.get('now')).some((m) => m.month.startsWith(`${year}-`))) return c.notFound()
  const prefix = `/${year}/`
  tagPage(c, `year:${year}`)
  return datedPage(c, archiveShardsFor(head, `${year}-`), prefix, {
    status: `Showing posts from ${year}`,
    title: year,
    description: `Posts from ${year}`,
    year,
    where: (path) => path.startsWith(prefix),
  })
})

// Blogger's archive URLs end in a slash; send the bare forms there.
archives.get('/:year{[0-9]{4}}/:month{[0-9]{2}}', (c) => c.redirect(`${c.req.path}/`, 301))
archives.get('/:year{[0-9]{4}}', (c) => c.redirect(`${c.req.path}/`, 301))

// Blogger's classic templates archived by month or by week, at /YYYY_MM_DD_archive.html (the first
// day of the month or the week); old posts and other sites still link there. Each goes to its month.
archives.get('/:archive{[0-9]{4}_[0-9]{2}_[0-9]{2}_archive\\.html}', (c) => {
  const [year, month] = c.req.param('archive').split('_')
  const number = Number(month)
  if (number < 1 || number > 12) return c.notFound()
  return c.redirect(`/${year}/${month}/`, 301)
})
