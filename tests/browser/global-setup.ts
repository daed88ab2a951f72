import type { TestProject } from 'vitest/node'
import { startServer } from './server'

export default async function serve(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer()
  project.provide('origin', server.origin)
  return server.stop
}

declare module 'vitest' {
  export interface ProvidedContext {
    origin: string
  }
}
