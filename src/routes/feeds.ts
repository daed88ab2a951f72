import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ContentUnavailableError } from '../content/checked'
import { findLabel, listPosts, summariesAt } from '../content/queries'
import { type Defer, renderedPosts } from '../content/rendered'
import { type Head, type PostSummary, type ShardRef } from '../content/schema'
import { FEED_ENTRIES } from '../content/shard-text'
import { labelTag, tagPage } from '../edge/cache'
import type { AppEnv } from '../env'
import { absoluteUrls } from '../markdown/absolute'
import { atomFeed, entryId, type FeedEntry, type FeedInfo, jsonFeed, rssFeed } from '../views/feeds'
import { labelUrl } from '../views/urls'
import { deferTo, headOf } from './head'
import { newApp } from './app'

const DEFAULT_RESULTS = FEED_ENTRIES
const MAX_RESULTS = 100
/** How deep start-index may page: every entry before it is read from the shards. */
const MAX_DEPTH = 1000

type Format = 'atom' | 'rss' | 'json'

interface FeedRequest {
  format: Format
  full: boolean
  label?: string
}

/** Blogger's `start-index` (from 1) and `max-results`. */
function window(c: Context<AppEnv>): { start: number; count: number } {
  const startText = c.req.query('start-index')
  const countText = c.req.query('max-results')
  const start = startText === undefined ? 1 : Number(startText)
  const count = countText === undefined ? DEFAULT_RESULTS : Number(countText)
  if (!Number.isInteger(start) || start < 1 || start > MAX_DEPTH) {
    throw new HTTPException(400, { message: `start-index must be a whole number from 1 to ${MAX_DEPTH}` })
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new HTTPException(400, { message: 'max-results must be a whole number of at least 1' })
  }
  return { start, count: Math.min(count, MAX_RESULTS) }
}

function formatOf(c: Context<AppEnv>): Format {
  const alt = c.req.query('alt')
  if (alt === undefined || alt === 'atom') return 'atom'
  if (alt === 'rss') return 'rss'
  throw new HTTPException(400, { message: 'alt must be atom or rss' })
}

/**
 * The posts' blob hashes: a label's shards hold only some (src/build/build.ts), so a full label
 * feed finds the rest in their archive shards: the newest it read already, others in one more request.
 */
async function blobHashes(kv: KVNamespace, head: Head, posts: PostSummary[]): Promise<string[]> {
  const hashless = posts.filter((p) => p.hash === '').map((p) => p.path)
  const found = await summariesAt(kv, head, hashless)
  return posts.map((p) => {
    const hash = p.hash || found.get(p.path)?.hash
    if (!hash) throw new ContentUnavailableError(`no archive shard of version ${head.version} holds ${p.path}, which a label's shard lists`)
    return hash
  })
}

async function entries(kv: KVNamespace, head: Head, posts: PostSummary[], full: boolean, defer: Defer): Promise<FeedEntry[]> {
  const { site } = head
  const bodies = full ? await renderedPosts(kv, await blobHashes(kv, head, posts), defer) : []
  return posts.map((summary, i) => {
    const url = `${site.baseUrl}${summary.path}`
    const body = bodies[i]
    return {
      url,
      id: entryId(site, summary.path, summary.date),
      title: summary.title,
      published: summary.date,
      updated: summary.updated ?? summary.date,
      author: body?.post.author ?? site.author,
      labels: summary.labels,
      summary: summary.snippet,
      ...(body ? { html: absoluteUrls(body.html, url) } : {}),
    }
  })
}

async function serveFeed(c: Context<AppEnv>, request: FeedRequest) {
  const head = headOf(c)
  const { site } = head
  const now = c.get('now')
  let shards: ShardRef[] = head.archive
  let title = site.title
  let pageUrl = `${site.baseUrl}/`
  if (request.label !== undefined) {
    const label = findLabel(head, request.label, now)
    if (!label) return c.notFound()
    shards = label.shards
    title = `${site.title}: ${label.name}`
    pageUrl = `${site.baseUrl}${labelUrl(label.name)}`
    tagPage(c, `label:${labelTag(label.name)}`)
  }
  tagPage(c, 'feed')
  const { start, count } = window(c)
  // A label's lines leave out the hashes of the posts the archive's newest shard holds
  // (src/build/build.ts): a full feed reads that shard with the label's, when their dates overlap.
  const newestArchive = head.archive[0]
  const overlaps = newestArchive && shards[0] && Date.parse(shards[0].newest) >= Date.parse(newestArchive.oldest)
  const alongside = request.full && request.label !== undefined && overlaps ? [newestArchive.hash] : []
  const list = await listPosts(c.env.CONTENT, shards, { now, limit: start - 1 + count, alongside })
  const posts = list.posts.slice(start - 1)

  const self = new URL(c.req.url)
  const selfUrl = `${site.baseUrl}${self.pathname}${self.search}`
  const next = new URL(selfUrl)
  next.searchParams.set('start-index', String(start + count))
  next.searchParams.set('max-results', String(count))
  const feed: FeedInfo = {
    site,
    title,
    selfUrl,
    pageUrl,
    nextUrl: list.more && start + count <= MAX_DEPTH ? next.href : null,
    id: `tag:${new URL(site.baseUrl).host},2000:${request.label === undefined ? 'blog' : `label:${request.label.toLowerCase()}`}`,
    entries: await entries(c.env.CONTENT, head, posts, request.full, deferTo(c)),
  }
  if (request.format === 'json') {
    return c.body(JSON.stringify(jsonFeed(feed)), 200, { 'content-type': 'application/feed+json; charset=utf-8' })
  }
  if (request.format === 'rss') {
    return c.body(rssFeed(feed), 200, { 'content-type': 'application/rss+xml; charset=utf-8' })
  }
  return c.body(atomFeed(feed), 200, { 'content-type': 'application/atom+xml; charset=utf-8' })
}

/** Blogger's feed URLs, under /feeds. */
export const feeds = newApp()

// Blogger's projections: `default` and `full` are the whole posts, `summary` their summaries.
for (const [projection, full] of [['default', true], ['full', true], ['summary', false]] as const) {
  feeds.get(`/posts/${projection}`, (c) => serveFeed(c, { format: formatOf(c), full }))
  feeds.get(`/posts/${projection}/-/:label`, (c) => serveFeed(c, { format: formatOf(c), full, label: c.req.param('label') }))
}

/** The short names readers and other engines expect. */
export const feedAliases = newApp()

feedAliases.get('/atom.xml', (c) => serveFeed(c, { format: 'atom', full: true }))
feedAliases.get('/rss.xml', (c) => serveFeed(c, { format: 'rss', full: true }))
feedAliases.get('/feed.json', (c) => serveFeed(c, { format: 'json', full: true }))

