import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ContentUnavailableError, readHead } from '../content/kv'
import { labelKey } from '../content/keys'
import { ByteLru } from '../content/lru'
import type { Head } from '../content/schema'
import type { AppEnv } from '../env'
import { cacheNames, etagMatches, normalisedPath, scheduleEpoch } from './keys'
import { cacheControl, LAST_GOOD_MAX_AGE_S, NO_STORE, secondsUntilNextPost } from './lifetimes'

// The request path of DESIGN.md: L1 (the isolate's head and blobs, in content/kv.ts), L2 (the
// Cache API, here), L3 (KV), then render. One policy for every page, declared once.

export /**
 * The data center's cache. highlight.js's type declarations pull in the DOM library, whose
 * CacheStorage hides the Workers' `caches.default` from the type checker; the runtime has it.
 */
const edgeStore = (): Cache => (caches as unknown as { default: Cache }).default

export const ALLOWED_METHODS = 'GET, HEAD'

/** A label as a Cache-Tag: folded like label URLs, and with no spaces or commas. */
export const labelTag = (name: string): string => encodeURIComponent(labelKey(name))

/** Adds a Cache-Tag to the page being rendered, for operators who purge a Workers Cache by tag. */
export function tagPage(c: Context<AppEnv>, ...tags: string[]): void {
  c.set('tags', [...(c.get('tags') ?? []), ...tags])
}

/** A rendered page as the isolate keeps it: the hottest pages skip even the Cache API. */
interface RenderedPage {
  status: number
  headers: [string, string][]
  body: string
}

const PAGES_BUDGET_BYTES = 4 * 1024 * 1024
const pages = new ByteLru<RenderedPage>(PAGES_BUDGET_BYTES)

function fromMemory(page: RenderedPage, cache?: 'hit'): Response {
  const res = new Response(page.body, { status: page.status, headers: page.headers })
  if (cache) serverTiming(res, cache)
  return res
}

/** Copies a response so that its headers can be changed (cached responses' headers are not). */
const mutable = (res: Response): Response => new Response(res.body, { status: res.status, headers: res.headers })

function serverTiming(res: Response, cache: 'hit' | 'miss' | 'stale' | 'bypass', renderMs?: number): void {
  const parts = [`cache;desc="${cache}"`]
  if (renderMs !== undefined) parts.push(`render;dur=${renderMs.toFixed(1)}`)
  res.headers.set('server-timing', parts.join(', '))
}

function codeVersion(env: Env): string {
  return env.CF_VERSION_METADATA?.id || 'dev'
}

async function lastGoodCopy(c: Context<AppEnv>, head: Head | null): Promise<Response | null> {
  const url = new URL(c.req.url)
  const base = head?.site.baseUrl ?? url.origin
  const { lastGoodKey } = cacheNames(base, normalisedPath(url), '', '')
  const copy = await edgeStore().match(lastGoodKey)
  if (!copy) return null
  const res = mutable(copy)
  res.headers.set('cache-control', NO_STORE)
  res.headers.delete('etag')
  serverTiming(res, 'stale')
  return res
}

export const edgeCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  const now = Date.now()
  c.set('now', now)

  let head: Head | null
  try {
    head = await readHead(c.env.CONTENT)
  } catch (error) {
    if (!(error instanceof ContentUnavailableError)) throw error
    const stale = await lastGoodCopy(c, null)
    if (stale) {
      console.error(error)
      return stale
    }
    throw error
  }
  c.set('head', head)

  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    throw new HTTPException(405, { message: `This address answers only ${ALLOWED_METHODS}.` })
  }
  if (!head) {
    await next()
    c.res.headers.set('cache-control', NO_STORE)
    return
  }

  const url = new URL(c.req.url)
  const path = normalisedPath(url)
  const epoch = scheduleEpoch(head, now)
  const names = cacheNames(head.site.baseUrl, path, `${head.version}.${epoch}`, codeVersion(c.env))

  if (etagMatches(c.req.header('if-none-match'), names.etag)) {
    const res = new Response(null, { status: 304 })
    res.headers.set('etag', names.etag)
    res.headers.set('cache-control', cacheControl(200, secondsUntilNextPost(head, now)))
    serverTiming(res, 'hit')
    return res
  }

  const remembered = pages.get(names.key)
  if (remembered) return fromMemory(remembered, 'hit')
  const cached = await edgeStore().match(names.key)
  if (cached) {
    const page = { status: cached.status, headers: [...cached.headers], body: await cached.text() }
    pages.set(names.key, page, page.body.length)
    return fromMemory(page, 'hit')
  }

  const started = performance.now()
  await next()
  const renderMs = performance.now() - started

  if (c.error instanceof ContentUnavailableError) {
    const stale = await lastGoodCopy(c, head)
    if (stale) {
      c.res = stale
      return
    }
  }

  const res = c.res
  const control = res.headers.has('set-cookie') ? NO_STORE : cacheControl(res.status, secondsUntilNextPost(head, now))
  res.headers.set('cache-control', control)
  if (control === NO_STORE) {
    serverTiming(res, 'bypass', renderMs)
    return
  }
  if (res.status === 200) res.headers.set('etag', names.etag)
  res.headers.set('cache-tag', [`v:${head.version}`, ...(c.get('tags') ?? [])].join(','))
  serverTiming(res, 'miss', renderMs)

  const stored = res.clone()
  const keep = async () => {
    const page = { status: stored.status, headers: [...stored.headers], body: await stored.text() }
    pages.set(names.key, page, page.body.length)
    const puts = [edgeStore().put(names.key, fromMemory(page))]
    if (page.status === 200) {
      const lastGood = fromMemory(page)
      lastGood.headers.set('cache-control', `public, s-maxage=${LAST_GOOD_MAX_AGE_S}`)
      puts.push(edgeStore().put(names.lastGoodKey, lastGood))
    }
    await Promise.all(puts)
  }
  c.executionCtx.waitUntil(keep())
}
