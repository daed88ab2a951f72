import type { Head } from '../content/schema'
import { nextScheduled } from './keys'

// How long each layer may keep a response. The content version is in every cache key, so shared
// caches can keep a page long; browsers keep it briefly and revalidate with the ETag.
export const BROWSER_MAX_AGE_S = 60
export const EDGE_MAX_AGE_S = 24 * 3600
export const STALE_WHILE_REVALIDATE_S = 24 * 3600
export const NOT_FOUND_EDGE_MAX_AGE_S = 60
/** The last good copy outlives versions: it is what readers get while KV is failing. */
export const LAST_GOOD_MAX_AGE_S = 30 * 24 * 3600
export const NO_STORE = 'no-store'
/** While the next scheduled post is at least this far off, Cache-Control is as if there were none. */
export const UNBOUNDED_S = EDGE_MAX_AGE_S + STALE_WHILE_REVALIDATE_S

/** Seconds until the next scheduled post goes live, or Infinity. */
export function secondsUntilNextPost(head: Head, now: number): number {
  const next = nextScheduled(head, now)
  return next === null ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor((next - now) / 1000))
}

/** Cache-Control for a response with `status`, never outliving the next scheduled post. */
export function cacheControl(status: number, untilNextPost: number): string {
  if (status === 404) {
    const edge = Math.min(NOT_FOUND_EDGE_MAX_AGE_S, untilNextPost)
    return edge > 0 ? `public, max-age=0, s-maxage=${edge}` : NO_STORE
  }
  if (status !== 200 && status !== 301) return NO_STORE
  const browser = Math.min(BROWSER_MAX_AGE_S, untilNextPost)
  const edge = Math.min(EDGE_MAX_AGE_S, untilNextPost)
  if (edge <= 0) return NO_STORE
  // A stale copy may be served after s-maxage too, so what is left before the next post bounds it.
  const swr = Math.max(0, Math.min(STALE_WHILE_REVALIDATE_S, untilNextPost - edge))
  return `public, max-age=${browser}, s-maxage=${edge}, stale-while-revalidate=${swr}`
}
