import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Build } from '../../src/build/build'
import { blobKey, HEAD_KEY } from '../../src/content/keys'

/**
 * Writes a build as the KV namespace workerd's disk service serves: one file per key, named by the
 * key. Blobs first and head last, as the publisher does.
 */
export async function writeKvDir(build: Build, dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  const entries = [...build.blobs]
  for (let i = 0; i < entries.length; i += 256) {
    await Promise.all(entries.slice(i, i + 256).map(([hash, value]) => writeFile(join(dir, blobKey(hash)), value)))
  }
  await writeFile(join(dir, HEAD_KEY), build.headJson)
}
