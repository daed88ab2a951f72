import { HonoBase } from 'hono/hono-base'
import { TrieRouter } from 'hono/router/trie-router'
import type { AppEnv } from '../env'

/**
 * A Hono app (the Worker, or one family of its pages) on the router these routes need. Hono's
 * default tries a RegExpRouter first, which the routes are beyond: every isolate's first request
 * built one, threw it away and built a TrieRouter, and the bundle carried both.
 */
export const newApp = () => new HonoBase<AppEnv>({ router: new TrieRouter() })
