import { inject } from 'vitest'
import { type Build, buildSite, type ContentFiles } from '../../src/build/build'
import { clearIsolateCache } from '../../src/content/kv'
import { documentsOf, renderEntries } from '../../src/cli/renders'
import { blobKey, HEAD_KEY } from '../../src/content/keys'

/** The clock the sample content is built at: before the scheduled post, after everything else. */
export const BUILT_AT = Date.parse('2026-11-26T12:00:00Z')

export const sampleContent = (): ContentFiles => inject('content')

/**
 * Builds `files` with the publisher's build function and writes it to `kv`, blobs first. Without
 * the renders a publish keeps, unless asked: the Worker finds none, as after a deploy that changed
 * the renderer.
 */
export async function seed(kv: KVNamespace, files: ContentFiles = sampleContent(), now = BUILT_AT, options: { renders?: boolean } = {}): Promise<Build> {
  const build = await buildSite(files, { now })
  await Promise.all([...build.blobs].map(([hash, value]) => kv.put(blobKey(hash), build.binary.has(hash) ? bytesOf(value) : value)))
  if (options.renders) await keepRenders(kv, build)
  await kv.put(HEAD_KEY, build.headJson)
  clearIsolateCache()
  return build
}

/** Bytes written in base64, as the build holds an image's. */
export const bytesOf = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))

/** Writes the renders `quire publish` keeps for the build's posts and pages (src/cli/renders.ts). */
export async function keepRenders(kv: KVNamespace, build: Build, documents = documentsOf(build)): Promise<void> {
  const entries = renderEntries(build, documents, Date.now())
  for (let i = 0; i < entries.length; i += 50) {
    await Promise.all(entries.slice(i, i + 50).map(({ key, value, metadata }) => kv.put(key, value, { metadata })))
  }
}
