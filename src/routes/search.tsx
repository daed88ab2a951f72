import { type Context, Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { findLabel, listPosts } from '../content/queries'
import type { Head } from '../content/schema'
import { searchPosts } from '../content/search'
import type { AppEnv } from '../env'
import { PostList } from '../views/PostList'
import { labelFeedUrl, labelUrl, olderPostsUrl } from '../views/urls'
import { headOf } from './head'
import { labelTag, tagPage } from '../edge/cache'
import { renderPage } from './render'

const MAX_RESULTS = 50

/** Blogger's paging parameters: `updated-max` (an instant) and `max-results`. */
function paging(url: string, perPage: number): { before?: number; limit: number } {
  const query = new URL(url).searchParams
  const updatedMax = query.get('updated-max')
  const maxResults = query.get('max-results')
  let before: number | undefined
  if (updatedMax !== null) {
    before = Date.parse(updatedMax)
    if (Number.isNaN(before)) {
      throw new HTTPException(400, { message: 'updated-max must be a date and time, e.g. 2026-03-03T08:30:00-05:00' })
    }
  }
  let limit = perPage
  if (maxResults !== null) {
    limit = Number(maxResults)
    if (!Number.isInteger(limit) || limit < 1) {
      throw new HTTPException(400, { message: 'max-results must be a whole number of at least 1' })
    }
    limit = Math.min(limit, MAX_RESULTS)
  }
  return { before, limit }
}

export const search = new Hono<AppEnv>()

search.get('/', async (c) => {
  const head = headOf(c)
  const query = c.req.query('q')?.trim()
  if (query) return searchResults(c, head, query)
  const { before, limit } = paging(c.req.url, head.site.postsPerPage)
  if (before === undefined) return c.redirect('/', 302)
  const list = await listPosts(c.env.CONTENT, head.archive, { now: c.get('now'), limit, before })
  const last = list.posts.at(-1)
  const olderUrl = list.more && last ? olderPostsUrl('/search', last, limit) : null
  return renderPage(c, <PostList site={head.site} list={list} olderUrl={olderUrl} />, { title: 'Older posts', next: olderUrl })
})

async function searchResults(c: Context<AppEnv>, head: Head, query: string) {
  const url = new URL(c.req.url)
  const { limit } = paging(c.req.url, head.site.postsPerPage)
  const startText = url.searchParams.get('start-index') ?? '1'
  const start = Number(startText)
  if (!Number.isInteger(start) || start < 1 || start > 1000) {
    throw new HTTPException(400, { message: 'start-index must be a whole number from 1 to 1000' })
  }
  tagPage(c, 'search')
  const results = await searchPosts(c.env.CONTENT, head, query, { now: c.get('now'), offset: start - 1, limit })
  const more = start - 1 + results.posts.length < results.total
  const next = new URLSearchParams({ q: query, 'max-results': String(limit), 'start-index': String(start + limit) })
  const status = (
    <>
      {results.total > 0 ? 'Showing posts matching the search for ' : 'No posts match the search for '}
      <strong>{query}</strong>. <a href="/">Show all posts</a>
    </>
  )
  return renderPage(
    c,
    <PostList site={head.site} list={{ posts: results.posts, more }} status={status} olderUrl={more ? `/search?${next}` : null} olderLabel="More results" />,
    { title: `Search: ${query}`, description: `Posts matching ${query}`, next: more ? `/search?${next}` : null },
  )
}

search.get('/label/:name', async (c) => {
  const head = headOf(c)
  const now = c.get('now')
  const label = findLabel(head, c.req.param('name'), now)
  if (!label) return c.notFound()
  const { before, limit } = paging(c.req.url, head.site.postsPerPage)
  tagPage(c, `label:${labelTag(label.name)}`)
  const list = await listPosts(c.env.CONTENT, label.shards, { now, limit, before })
  if (list.posts.length === 0 && before === undefined) return c.notFound()
  const last = list.posts.at(-1)
  const olderUrl = list.more && last ? olderPostsUrl(labelUrl(label.name), last, limit) : null
  const status = (
    <>
      Showing posts with label <strong>{label.name}</strong>. <a href="/">Show all posts</a>
    </>
  )
  return renderPage(c, <PostList site={head.site} list={list} status={status} olderUrl={olderUrl} />, {
    title: label.name,
    description: `Posts with label ${label.name}`,
    next: olderUrl,
    labelFeed: { name: label.name, url: labelFeedUrl(label.name) },
  })
})
