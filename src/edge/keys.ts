import type { Head } from '../content/schema'

// What a rendered response is cached under, and the ETag it carries.

/**
 * Query parameters that never change a page: analytics' tags of where a reader came from, and
 * Blogger's `m` (its mobile switch: links shared from phones end in `?m=1`).
 */
const SAME_PAGE = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|ref_src|m)$/i
/** Marks the version-less copy kept for when KV fails; a reader's own parameter of that name is dropped. */
const LAST_GOOD_PARAM = 'quire-last-good'
/** The query parameters the routes read: Blogger's paging and feed parameters, and search's `q`. */
const PAGE_PARAMETERS = new Set(['alt', 'max-results', 'q', 'start-index', 'updated-max', 'updated-min'])

const mayChangePage = (name: string): boolean => !SAME_PAGE.test(name) && name !== LAST_GOOD_PARAM

/** The parameters of a query string (without its `?`) that `keep` keeps, sorted, or '' if none are kept. */
function normalisedQuery(params: URLSearchParams, keep: (name: string) => boolean): string {
  const kept: [string, string][] = []
  params.forEach((value, name) => {
    if (keep(name)) kept.push([name, value])
  })
  kept.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
  return new URLSearchParams(kept).toString()
}

/** A URL's path as the router reads it from the URL's own characters, and the parameters `keep` keeps. */
function pathAndQuery(url: string, keep: (name: string) => boolean): string {
  const start = url.indexOf('/', url.indexOf('://') + 3)
  if (start === -1) return '/'
  const hash = url.indexOf('#', start)
  const end = hash === -1 ? url.length : hash
  const mark = url.indexOf('?', start)
  if (mark === -1 || mark > end) return url.slice(start, end)
  const query = normalisedQuery(new URLSearchParams(url.slice(mark + 1, end)), keep)
  return query ? `${url.slice(start, mark)}?${query}` : url.slice(start, mark)
}

/**
 * What a request's page is cached under: its path (so the key names what was routed) and every
 * parameter that may change the page, sorted, so that equivalent URLs share one cache entry. Most
 * requests have no query, and then it is one slice of the string, with no URL parsed.
 */
export const requestPath = (url: string): string => pathAndQuery(url, mayChangePage)

/**
 * A page's canonical path: its path and only the parameters the routes read, so that a page reached
 * with a share button's or a feed reader's own parameter still names its one URL to search engines.
 */
export const canonicalPath = (url: string): string => pathAndQuery(url, (name) => PAGE_PARAMETERS.has(name))

/** The scheduled posts' times, parsed and sorted once per head rather than on every request. */
const scheduleTimes = new WeakMap<Head, number[]>()

function scheduledTimes(head: Head): number[] {
  let times = scheduleTimes.get(head)
  if (!times) {
    times = head.scheduled.map((s) => Date.parse(s.date)).filter((t) => !Number.isNaN(t))
    times.sort((a, b) => a - b)
    scheduleTimes.set(head, times)
  }
  return times
}

/**
 * Which of the scheduled posts are live: it changes when one goes live, and so does every key,
 * so no cached page outlives a scheduled post's time.
 */
export function scheduleEpoch(head: Head, now: number): number {
  const times = scheduledTimes(head)
  let live = 0
  while (live < times.length && (times[live] as number) <= now) live++
  return live
}

/** When the next scheduled post goes live, or null: no cached page may outlive it. */
export function nextScheduled(head: Head, now: number): number | null {
  return scheduledTimes(head).find((t) => t > now) ?? null
}

/** FNV-1a, 32 bits: short and stable, for names that only need to differ. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/**
 * The versioned key (a URL) of a page; `version` is the content version, the schedule epoch and
 * the code version. Keys use the site's base URL from the head, never the request's Host, so a
 * forged Host header cannot plant a page in the cache for others.
 */
export function pageKey(baseUrl: string, path: string, version: string): string {
  return `${baseUrl}${path}${path.includes('?') ? '&' : '?'}quire-version=${encodeURIComponent(version)}`
}

/** The version-less key of the last good copy of a page, kept for when KV fails. */
export function lastGoodKey(baseUrl: string, path: string): string {
  return `${baseUrl}${path}${path.includes('?') ? '&' : '?'}${LAST_GOOD_PARAM}=1`
}

export function etagOf(path: string, version: string): string {
  return `"${fnv1a(version)}-${fnv1a(path)}"`
}

/** Whether an If-None-Match header names `etag` (weak or strong, or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}
