import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Build } from '../../src/build/build'
import { documentsOf, renderEntries } from '../../src/cli/renders'
import { blobKey, HEAD_KEY } from '../../src/content/keys'

/**
 * Writes a build as the KV namespace workerd's disk service serves: one file per key, named by the
 * key. Blobs first and head last, as the publisher does, and with `renders` the renders a publish
 * keeps for every post and page.
 */
export async function writeKvDir(build: Build, dir: string, options: { renders?: boolean } = {}): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  // An image is kept as its bytes, as publish uploads it.
  const entries: [string, string | Buffer][] = [...build.blobs].map(([hash, value]) => [blobKey(hash), build.binary.has(hash) ? Buffer.from(value, 'base64') : value])
  if (options.renders) entries.push(...renderEntries(build, documentsOf(build), Date.now()).map(({ key, value }): [string, string] => [key, value]))
  for (let i = 0; i < entries.length; i += 256) {
    await Promise.all(entries.slice(i, i + 256).map(([key, value]) => writeFile(join(dir, key), value)))
  }
  await writeFile(join(dir, HEAD_KEY), build.headJson)
}
