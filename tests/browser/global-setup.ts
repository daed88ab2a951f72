import type { TestProject } from 'vitest/node'
import { PAGES } from './chromium'
import { startServer } from './server'

/**
 * Renders each page once before the tests, so that they are served from the edge cache as a
 * reader's repeat visit would be. On a loaded machine wrangler dev's local KV can outlast the
 * Worker's KV read timeout, and the Worker then rightly answers 503 (tests/worker covers that
 * path); here that is the machine, not the theme, so the warm-up waits and asks again.
 */
async function warmUp(origin: string): Promise<void> {
  for (const path of Object.values(PAGES)) {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${origin}${path}`)
      await res.arrayBuffer()
      if (res.status !== 503) break
      if (attempt === 5) throw new Error(`${path} answered 503 five times`)
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
  }
}

export default async function serve(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer()
  try {
    await warmUp(server.origin)
  } catch (error) {
    await server.stop()
    throw error
  }
  project.provide('origin', server.origin)
  return server.stop
}

declare module 'vitest' {
  export interface ProvidedContext {
    origin: string
  }
}
