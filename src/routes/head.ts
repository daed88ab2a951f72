import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Defer } from '../content/rendered'
import type { Head } from '../content/schema'
import type { AppEnv } from '../env'

/** The head of a content route; the app answers 503 before any route runs when there is none. */
export function headOf(c: Context<AppEnv>): Head {
  const head = c.get('head')
  if (!head) throw new HTTPException(503, { message: 'nothing is published yet' })
  return head
}

/** Work a route leaves to finish after its response, such as keeping what it rendered. */
export function deferTo(c: Context<AppEnv>): Defer {
  return (task) => c.executionCtx.waitUntil(task)
}
