import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Site } from '../content/schema'
import type { AppEnv } from '../env'
import { Layout } from '../views/Layout'

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

export interface PageOptions {
  title?: string
  description?: string
  year?: string
  status?: ContentfulStatusCode
}

/** Every HTML page goes through here: the site's layout around `body`. */
export function renderPage(c: Context<AppEnv>, body: Child, options: PageOptions = {}) {
  const head = c.get('head') ?? null
  const site = head?.site ?? FALLBACK_SITE
  return c.html(
    <Layout site={site} head={head} now={c.get('now') ?? Date.now()} title={options.title} description={options.description} year={options.year}>
      {body}
    </Layout>,
    options.status ?? 200,
  )
}
