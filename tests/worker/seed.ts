import { inject } from 'vitest'
import { type Build, buildSite, type ContentFiles } from '../../src/build/build'
import { clearIsolateCache } from '../../src/content/kv'
import { blobKey, HEAD_KEY } from '../../src/content/keys'

/** The clock the sample content is built at: before the scheduled post, after everything else. */
export const BUILT_AT = Date.parse('2026-11-26T12:00:00Z')

export const sampleContent = (): ContentFiles => inject('content')

/** Builds `files` with the publisher's build function and writes it to `kv`, blobs first. */
export async function seed(kv: KVNamespace, files: ContentFiles = sampleContent(), now = BUILT_AT): Promise<Build> {
  const build = await buildSite(files, { now })
  await Promise.all([...build.blobs].map(([hash, value]) => kv.put(blobKey(hash), value)))
  await kv.put(HEAD_KEY, build.headJson)
  clearIsolateCache()
  return build
}
