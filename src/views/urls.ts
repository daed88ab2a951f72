import type { PostSummary } from '../content/schema'

// Every URL a page links to is built here, so the routes and the links cannot drift apart.

export const labelUrl = (name: string): string => `/search/label/${encodeURIComponent(name)}`
export const labelFeedUrl = (name: string): string => `/feeds/posts/default/-/${encodeURIComponent(name)}`
export const pageUrl = (slug: string): string => `/p/${slug}.html`
export const monthUrl = (month: string): string => `/${month.replace('-', '/')}/`
export const yearUrl = (year: string): string => `/${year}/`

/** Blogger's "Newer posts": the page of posts just newer than `first`. */
export function newerPostsUrl(base: string, first: PostSummary, perPage: number): string {
  const query = new URLSearchParams({ 'updated-min': first.date, 'max-results': String(perPage), 'reverse-paginate': 'true' })
  return `${base}?${query.toString()}`
}

export function olderPostsUrl(base: string, last: PostSummary, perPage: number): string {
  const query = new URLSearchParams({ 'updated-max': last.date, 'max-results': String(perPage) })
  return `${base}?${query.toString()}`
}
