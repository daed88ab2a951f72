import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ContentUnavailableError } from '../content/checked'
import { peekHead, readHead } from '../content/kv'
import { labelKey } from '../content/keys'
import { ByteLru } from '../content/lru'
import type { Head } from '../content/schema'
import type { AppEnv } from '../env'
import { etagMatches, etagOf, lastGoodKey, pageKey, requestPath, scheduleEpoch } from './keys'
import { cacheControl, LAST_GOOD_MAX_AGE_S, NO_STORE, secondsUntilNextPost, UNBOUNDED_S } from './lifetimes'
import { addSecurityHeaders, securityHeadersFor } from './security'

// The request path of DESIGN.md: L1 (the isolate's head and blobs, in content/kv.ts, and its
// hottest pages, here), L2 (the Cache API, here), L3 (KV), then render. One policy for every
// page, declared once. A hit is answered before the app routes the request (`answerFromCache`):
// routing and middleware would otherwise be most of what a hit costs.

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

/**
 * A page as the isolate keeps it: the response exactly as a hit sends it (security headers and
 * `Server-Timing: hit` included), with the body as bytes that each response copies.
 */
interface KeptPage {
  status: number
  headers: Headers
  /** Its Cache-Control, which a hit recomputes only as a scheduled post draws near. */
  control: string
  body: Uint8Array<ArrayBuffer>
}

const PAGES_BUDGET_BYTES = 4 * 1024 * 1024
const pages = new ByteLru<KeptPage>(PAGES_BUDGET_BYTES)

const timing = (cache: 'hit' | 'miss' | 'stale' | 'bypass', renderMs?: number): string =>
  renderMs === undefined ? `cache;desc="${cache}"` : `cache;desc="${cache}", render;dur=${renderMs.toFixed(1)}`

async function keepPage(key: string, res: Response): Promise<KeptPage> {
  const body = new Uint8Array(await res.arrayBuffer())
  const headers = new Headers(res.headers)
  headers.set('server-timing', timing('hit'))
  const page = { status: res.status, headers, control: headers.get('cache-control') ?? NO_STORE, body }
  pages.set(key, page, body.byteLength)
  return page
}

const pageResponse = (page: KeptPage, headers = page.headers): Response =>
  new Response(page.body, { status: page.status, headers })

function answerHit(page: KeptPage, method: string, head: Head, now: number): Response {
  let headers = page.headers
  const untilNextPost = secondsUntilNextPost(head, now)
  // Kept before a scheduled post drew near, a page would otherwise tell caches to keep it past it.
  if (untilNextPost < UNBOUNDED_S) {
    const control = cacheControl(page.status, untilNextPost)
    if (control !== page.control) {
      headers = new Headers(headers)
      headers.set('cache-control', control)
    }
  }
  if (method === 'HEAD') return new Response(null, { status: page.status, headers })
  return pageResponse(page, headers)
}

function notModified(path: string, etag: string, head: Head, now: number): Response {
  const headers = new Headers(securityHeadersFor(path) as [string, string][])
  headers.set('etag', etag)
  headers.set('cache-control', cacheControl(200, secondsUntilNextPost(head, now)))
  headers.set('server-timing', timing('hit'))
  return new Response(null, { status: 304, headers })
}

/** What the app needs to answer a request the caches could not. */
interface Lookup {
  now: number
  head: Head | null
  /** Set when the head could not be read. */
  error?: ContentUnavailableError
  /** Set for a GET or HEAD once there is a head: what the rendered page is kept under. */
  page?: { path: string; version: string; key: string }
}

function codeVersion(env: Env): string {
  return env.CF_VERSION_METADATA?.id || 'dev'
}

/** The page from the isolate (at once) or the Cache API (later), or a 304; else what rendering it needs. */
function findPage(request: Request, method: string, path: string, env: Env, head: Head, now: number): Response | Lookup | Promise<Response | Lookup> {
  const version = `${head.version}.${scheduleEpoch(head, now)}.${codeVersion(env)}`
  const key = pageKey(head.site.baseUrl, path, version)
  const ifNoneMatch = request.headers.get('if-none-match')
  if (ifNoneMatch !== null) {
    const etag = etagOf(path, version)
    if (etagMatches(ifNoneMatch, etag)) return notModified(path, etag, head, now)
  }
  const kept = pages.get(key)
  if (kept) return answerHit(kept, method, head, now)
  const miss: Lookup = { now, head, page: { path, version, key } }
  return edgeStore()
    .match(key)
    .then(
      async (cached) => (cached ? answerHit(await keepPage(key, cached), method, head, now) : miss),
      // The page can still be rendered; what failed is logged once, here.
      (error: unknown) => {
        console.error('the Cache API failed:', error)
        return miss
      },
    )
}

/** What answerFromCache found out about a request it passed on to the app, for edgeCache. */
const handedOver = new WeakMap<Request, Lookup>()

const isCacheable = (method: string): boolean => method === 'GET' || method === 'HEAD'

type Answer = Response | Promise<Response>

/**
 * What the caches hold for a request: its page (or a 304) for a GET or HEAD they hold, else what
 * the app needs to render it. A head read in the last few seconds answers at once, so a hit from
 * the isolate awaits nothing. A head that cannot be read is a Lookup with the error; any other
 * failure rejects, for the app's one error path.
 */
function lookUp(request: Request, path: string, env: Env, now: number): Response | Lookup | Promise<Response | Lookup> {
  const withHead = (head: Head | null): Response | Lookup | Promise<Response | Lookup> =>
    head && isCacheable(request.method) ? findPage(request, request.method, path, env, head, now) : { now, head }
  const known = peekHead(env.CONTENT, now)
  if (known !== undefined) return withHead(known)
  return readHead(env.CONTENT).then(withHead, (error: unknown) => {
    if (error instanceof ContentUnavailableError) return { now, head: null, error }
    throw error
  })
}

/**
 * Answers a GET or HEAD from the caches before the app routes it, if they hold its page; otherwise
 * `route` (the app) answers, and edgeCache takes over what was looked up here. Assets are the
 * app's, from memory.
 */
export function answerFromCache(request: Request, env: Env | undefined, route: () => Answer): Answer {
  if (!isCacheable(request.method) || !env?.CONTENT) return route()
  const path = requestPath(request.url)
  if (path.startsWith('/assets/')) return route()
  const settle = (found: Response | Lookup): Answer => {
    if (found instanceof Response) return found
    handedOver.set(request, found)
    return route()
  }
  const found = lookUp(request, path, env, Date.now())
  // A failure other than KV's is the app's to report, through its one error path.
  return found instanceof Promise ? found.then(settle, route) : settle(found)
}

/** Copies a response so that its headers can be changed (cached responses' headers are not). */
const mutable = (res: Response): Response => new Response(res.body, { status: res.status, headers: res.headers })

async function lastGoodCopy(request: Request, head: Head | null): Promise<Response | null> {
  const base = head?.site.baseUrl ?? new URL(request.url).origin
  const copy = await edgeStore().match(lastGoodKey(base, requestPath(request.url)))
  if (!copy) return null
  const res = mutable(copy)
  res.headers.set('cache-control', NO_STORE)
  res.headers.delete('etag')
  res.headers.set('server-timing', timing('stale'))
  return res
}

/** Renders what the caches did not have, and keeps it in them. */
export const edgeCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  const request = c.req.raw
  // Set unless answerFromCache passed the request by: another method, or an unknown asset.
  let look = handedOver.get(request)
  handedOver.delete(request)
  if (!look) {
    const found = await lookUp(request, requestPath(request.url), c.env, Date.now())
    if (found instanceof Response) return found
    look = found
  }
  const { now, head, error, page } = look
  c.set('now', now)
  if (error) {
    const stale = await lastGoodCopy(request, null)
    if (stale) {
      console.error(error)
      return stale
    }
    throw error
  }
  c.set('head', head)

  if (!isCacheable(request.method)) {
    throw new HTTPException(405, { message: `This address answers only ${ALLOWED_METHODS}.` })
  }
  if (!head || !page) {
    await next()
    c.res.headers.set('cache-control', NO_STORE)
    return
  }

  const started = performance.now()
  await next()
  const renderMs = performance.now() - started

  if (c.error instanceof ContentUnavailableError) {
    const stale = await lastGoodCopy(request, head)
    if (stale) {
      c.res = stale
      return
    }
  }

  const res = c.res
  const control = res.headers.has('set-cookie') ? NO_STORE : cacheControl(res.status, secondsUntilNextPost(head, now))
  res.headers.set('cache-control', control)
  if (control === NO_STORE) {
    res.headers.set('server-timing', timing('bypass', renderMs))
    return
  }
  if (res.status === 200) res.headers.set('etag', etagOf(page.path, page.version))
  res.headers.set('cache-tag', [`v:${head.version}`, ...(c.get('tags') ?? [])].join(','))
  res.headers.set('server-timing', timing('miss', renderMs))
  // The copies are kept with their final headers, so that a hit need not add any.
  addSecurityHeaders(res.headers, page.path)

  const stored = res.clone()
  const keep = async () => {
    const kept = await keepPage(page.key, stored)
    const puts = [edgeStore().put(page.key, pageResponse(kept))]
    if (kept.status === 200) {
      const lastGood = pageResponse(kept)
      lastGood.headers.set('cache-control', `public, s-maxage=${LAST_GOOD_MAX_AGE_S}`)
      puts.push(edgeStore().put(lastGoodKey(head.site.baseUrl, page.path), lastGood))
    }
    await Promise.all(puts)
  }
  c.executionCtx.waitUntil(keep())
}
