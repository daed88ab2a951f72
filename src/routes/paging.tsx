import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { listNewer, listPosts } from '../content/queries'
import type { ShardRef } from '../content/schema'
import type { AppEnv } from '../env'
import { PostList, type PostListProps } from '../views/PostList'
import { newerPostsUrl, olderPostsUrl } from '../views/urls'
import { headOf } from './head'
import { type PageOptions, renderPage } from './render'

const MAX_RESULTS = 50
const UNESCAPED_PLUS = / (\d{2}:?\d{2})$/

/** Blogger's paging parameters: `updated-max` or `updated-min` (instants) and `max-results`. */
export function paging(url: string, perPage: number): { before?: number; after?: number; limit: number } {
  const query = new URL(url).searchParams
  const instant = (name: string): number | undefined => {
    const text = query.get(name)
    if (text === null) return undefined
    // A `+` left unescaped in a link reaches here as a space: 2026-03-03T08:30:00 01:00.
    const value = Date.parse(text.replace(UNESCAPED_PLUS, '+$1'))
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

/** The first page of all posts is the home page; `/search` without a cursor sends readers there. */
const ALL_POSTS = '/search'

/**
 * A page of posts by date, Blogger's way: older than `updated-max`, or (with `updated-min`, as
 * Blogger's "Newer posts" links ask) the ones just newer than it. `base` is the list's own URL, which
 * its older and newer links keep: a month's second page is still the month's. `where` narrows the
 * shards' posts to the list's (a month's or a year's shards also hold other periods' posts).
 */
export async function datedPage(
  c: Context<AppEnv>,
  shards: ShardRef[],
  base: string,
  options: Pick<PostListProps, 'status'> & Omit<PageOptions, 'status'> & { where?: (path: string) => boolean },
) {
  const head = headOf(c)
  const now = c.get('now')
  const { before, after, limit } = paging(c.req.url, head.site.postsPerPage)
  if (before === undefined && after === undefined && base === ALL_POSTS) return c.redirect('/', 302)
  const { status, where, ...page } = options
  const list =
    after !== undefined && before === undefined
      ? await listNewer(c.env.CONTENT, shards, { now, limit, after, where })
      : await listPosts(c.env.CONTENT, shards, { now, limit, before, where })
  const first = list.posts[0]
  const last = list.posts.at(-1)
  // Nothing newer than the cursor: the list's own first page is the newer page.
  if (!first && after !== undefined) return c.redirect(base === ALL_POSTS ? '/' : base, 302)
  const hasOlder = after !== undefined ? Boolean(last) : list.more
  const hasNewer = after !== undefined ? list.more : before !== undefined
  const olderUrl = hasOlder && last ? olderPostsUrl(base, last, limit) : null
  const newerUrl = hasNewer && first ? newerPostsUrl(base, first, limit) : null
  return renderPage(c, <PostList site={head.site} list={list} status={status} olderUrl={olderUrl} newerUrl={newerUrl} />, {
    ...page,
    next: olderUrl,
    prev: newerUrl,
  })
}
