import { HonoBase } from 'hono/hono-base'
import { SmartRouter } from 'hono/router/smart-router'
import { TrieRouter } from 'hono/router/trie-router'
import type { AppEnv } from '../env'

/**
 * A Hono app (the Worker, or one family of its pages) on the router these routes need. Hono's
 * default tries a RegExpRouter first, which the routes are beyond: every isolate's first request
 * built one, threw it away and built a TrieRouter, and the bundle carried the RegExpRouter's code.
 * A SmartRouter holding the TrieRouter alone keeps what the default did well: routes are only
 * listed at start-up and the trie is built on the first request that is routed, so an isolate that
 * answers only cache hits never builds it, and a sub-app, whose routes the Worker's app takes
 * over, never does.
 */
export const newApp = () => new HonoBase<AppEnv>({ router: new SmartRouter({ routers: [new TrieRouter()] }) })
