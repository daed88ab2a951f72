import { buildSite, type ContentFiles } from '../src/build/build'
import { readContentFiles } from '../src/cli/content-files'
import { BUILT_AT, corpus } from './generate'

// One Quire build, as the publisher does it before uploading: read the files, then build blobs and
// head. P4 times this whole process against `hugo` building the same posts; `bench/profile.ts
// build` profiles it. Prints JSON.
//
//   node --import tsx bench/build-once.ts DIR/content     read and build a content directory
//   node --import tsx bench/build-once.ts --posts N       build N generated posts, in memory

const [arg, count] = process.argv.slice(2)
if (!arg) throw new Error('usage: build-once.ts CONTENT_DIR | --posts N')
const started = performance.now()
const files: ContentFiles = arg === '--posts' ? corpus(Number(count)) : await readContentFiles(arg)
const read = performance.now()
const build = await buildSite(files, { now: BUILT_AT })
const done = performance.now()
process.stdout.write(`${JSON.stringify({ readMs: read - started, buildMs: done - read, posts: build.posts.length, blobs: build.blobs.size })}\n`)
