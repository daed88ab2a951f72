import { type Context, Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { findLabel, listNewer, listPosts } from '../content/queries'
import type { Head, ShardRef } from '../content/schema'
import { searchPosts } from '../content/search'
import type { AppEnv } from '../env'
import { PostList, type PostListProps } from '../views/PostList'
import { labelFeedUrl, labelUrl, newerPostsUrl, olderPostsUrl } from '../views/urls'
import { headOf } from './head'
import { labelTag, tagPage } from '../edge/cache'
import { type PageOptions, renderPage } from './render'

const MAX_RESULTS = 50

/** Blogger's paging parameters: `updated-max` or `updated-min` (instants) and `max-results`. */
function paging(url: string, perPage: number): { before?: number; after?: number; limit: number } {
  const query = new URL(url).searchParams
  const instant = (name: string): number | undefined => {
    const text = query.get(name)
    if (text === null) return undefined
    const value = Date.parse(text)
    if (Number.isNaN(value)) {
      throw new HTTPException(400, { message: `${name} must be a date and time, e.g. 2026-03-03T08:30:00-05:00` })
    }
    return value
  }
  const maxResults = query.get('max-results')
  let limit = perPage
  if (maxResults !== null) {
    limit = Number(maxResults)
    if (!Number.isInteger(limit) || limit < 1) {
      throw new HTTPException(400, { message: 'max-results must be a whole number of at least 1' })
    }
    limit = Math.min(limit, MAX_RESULTS)
  }
  return { before: instant('updated-max'), after: instant('updated-min'), limit }
}

/**
 * A page of posts by date, Blogger's way: older than `updated-max`, or (with `updated-min`, as
 * Blogger's "Newer posts" links ask) the ones just newer than it. `base` is the list's own URL.
 */
async function datedPage(
  c: Context<AppEnv>,
  shards: ShardRef[],
  base: string,
  options: Pick<PostListProps, 'status'> & Omit<PageOptions, 'status'>,
) {
  const head = headOf(c)
  const now = c.get('now')
  const { before, after, limit } = paging(c.req.url, head.site.postsPerPage)
  if (before === undefined && after === undefined && base === '/search') return c.redirect('/', 302)
  const list =
    after !== undefined && before === undefined
      ? await listNewer(c.env.CONTENT, shards, { now, limit, after })
      : await listPosts(c.env.CONTENT, shards, { now, limit, before })
  const first = list.posts[0]
  const last = list.posts.at(-1)
  // Nothing newer than the cursor: the list's own first page is the newer page.
  if (!first && after !== undefined) return c.redirect(base === '/search' ? '/' : base, 302)
  const hasOlder = after !== undefined ? Boolean(last) : list.more
  const hasNewer = after !== undefined ? list.more : before !== undefined
  const olderUrl = hasOlder && last ? olderPostsUrl(base, last, limit) : null
  const newerUrl = hasNewer && first ? newerPostsUrl(base, first, limit) : null
  const { status, ...page } = options
  return renderPage(c, <PostList site={head.site} list={list} status={status} olderUrl={olderUrl} newerUrl={newerUrl} />, {
    ...page,
    next: olderUrl,
    prev: newerUrl,
  })
}

export const search = new Hono<AppEnv>()

search.get('/', async (c) => {
  const head = headOf(c)
  const query = c.req.query('q')?.trim()
  if (query) return searchResults(c, head, query)
  return datedPage(c, head.archive, '/search', { title: 'Older posts' })
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
  const label = findLabel(head, c.req.param('name'), c.get('now'))
  if (!label) return c.notFound()
  tagPage(c, `label:${labelTag(label.name)}`)
  const status = (
    <>
      Showing posts with label <strong>{label.name}</strong>. <a href="/">Show all posts</a>
    </>
  )
  return datedPage(c, label.shards, labelUrl(label.name), {
    status,
    title: label.name,
    description: `Posts with label ${label.name}`,
    labelFeed: { name: label.name, url: labelFeedUrl(label.name) },
  })
})
