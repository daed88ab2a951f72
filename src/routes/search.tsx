import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { findLabel } from '../content/queries'
import type { Head } from '../content/schema'
import { searchPosts } from '../content/search'
import type { AppEnv } from '../env'
import { PostList } from '../views/PostList'
import { labelFeedUrl, labelUrl } from '../views/urls'
import { headOf } from './head'
import { labelTag, tagPage } from '../edge/cache'
import { datedPage, paging } from './paging'
import { renderPage } from './render'
import { asciiText } from '../views/characters'
import { newApp } from './app'

export const search = newApp()

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
      <strong>{asciiText(query)}</strong>. <a href="/">Show all posts</a>
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
      Showing posts with label <strong>{asciiText(label.name)}</strong>. <a href="/">Show all posts</a>
    </>
  )
  return datedPage(c, label.shards, labelUrl(label.name), {
    status,
    title: label.name,
    description: `Posts with label ${label.name}`,
    labelFeed: { name: label.name, url: labelFeedUrl(label.name) },
  })
})
