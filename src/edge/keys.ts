import { isLive } from '../content/queries'
import type { Head } from '../content/schema'

// What a rendered response is cached under, and the ETag it carries.

/** Query parameters that only tell analytics where a reader came from: they never change a page. */
const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|ref_src)$/i
/** Marks the version-less copy kept for when KV fails; a reader's own parameter of that name is dropped. */
const LAST_GOOD_PARAM = 'quire-last-good'

/** The path and the meaningful query, sorted, so that equivalent URLs share one cache entry. */
export function normalisedPath(url: URL): string {
  const params: [string, string][] = []
  url.searchParams.forEach((value, name) => {
    if (!TRACKING.test(name) && name !== LAST_GOOD_PARAM) params.push([name, value])
  })
  params.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
  const query = new URLSearchParams(params).toString()
  return query ? `${url.pathname}?${query}` : url.pathname
}

/**
 * Which of the scheduled posts are live: it changes when one goes live, and so does every key,
 * so no cached page outlives a scheduled post's time.
 */
export function scheduleEpoch(head: Head, now: number): number {
  return head.scheduled.filter((s) => isLive(s.date, now)).length
}

export interface CacheNames {
  /** The versioned key (a URL): content version, schedule epoch and code version. */
  key: string
  /** The version-less key of the last good copy. */
  lastGoodKey: string
  etag: string
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
 * Keys use the site's base URL from the head, never the request's Host, so a forged Host header
 * cannot plant a page in the cache for others.
 */
export function cacheNames(baseUrl: string, path: string, contentVersion: string, codeVersion: string): CacheNames {
  const separator = path.includes('?') ? '&' : '?'
  const version = `${contentVersion}.${codeVersion}`
  return {
    key: `${baseUrl}${path}${separator}quire-version=${encodeURIComponent(version)}`,
    lastGoodKey: `${baseUrl}${path}${separator}${LAST_GOOD_PARAM}=1`,
    etag: `"${fnv1a(version)}-${fnv1a(path)}"`,
  }
}

/** Whether an If-None-Match header names `etag` (weak or strong, or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}
