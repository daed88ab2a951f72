import { buildSite, type ContentFiles } from '../../src/build/build'
import { ContentErrors } from '../../src/build/errors'

/** Every problem the build reports in `content`, as the author reads them; fails if it builds. */
export async function buildProblems(content: ContentFiles, now: number): Promise<string[]> {
  try {
    await buildSite(content, { now })
  } catch (error) {
    if (error instanceof ContentErrors) return error.errors.map((e) => e.message)
    throw error
  }
  throw new Error('expected the build to fail')
}
