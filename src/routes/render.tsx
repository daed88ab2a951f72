import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Site } from '../content/schema'
import { canonicalPath } from '../edge/keys'
import type { AppEnv } from '../env'
import { Layout } from '../views/Layout'
import type { PageMeta } from '../views/Meta'

/** What error pages show when even the head could not be read. */
export const FALLBACK_SITE: Site = {
  title: 'Quire',
  description: '',
  author: 'Quire',
  baseUrl: 'http://localhost',
  language: 'en',
  timeZone: 'UTC',
  postsPerPage: 7,
}

export interface PageOptions extends Omit<PageMeta, 'path'> {
  /** The year to open in the Blog Archive widget. */
  year?: string
  status?: ContentfulStatusCode
}

/**
 * Every HTML page goes through here: the site's layout around `body`. A page answered with 200
 * is canonical at its own normalised URL; any other is marked noindex.
 */
export function renderPage(c: Context<AppEnv>, body: Child, options: PageOptions = {}) {
  const { year, status = 200, ...meta } = options
  const head = c.get('head') ?? null
  const site = head?.site ?? FALLBACK_SITE
  const path = status === 200 ? canonicalPath(c.req.url) : undefined
  return c.html(
    <Layout site={site} head={head} now={c.get('now') ?? Date.now()} meta={{ ...meta, path }} year={year}>
      {body}
    </Layout>,
    status,
  )
}
