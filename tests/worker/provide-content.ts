import type { TestProject } from 'vitest/node'
import { readContentFiles } from '../../src/cli/content-files'

// workerd has no file system: the sample content is read here, in Node, and handed to the tests,
// which build it with the publisher's own build function.
export default async function provideContent(project: TestProject): Promise<void> {
  project.provide('content', await readContentFiles('content'))
}

declare module 'vitest' {
  export interface ProvidedContext {
    content: import('../../src/build/build').ContentFiles
  }
}
