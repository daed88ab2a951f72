import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { on } from 'node:events'
import { availableParallelism } from 'node:os'
import { join, relative, sep } from 'node:path'
import { Worker } from 'node:worker_threads'
import {
  type Build, type BuildOptions, type ContentFiles, finishBuild, type IndexSearch, type ParsedPost, type PostContext, postContext, readPosts, readSite,
  type SourceFile,
} from '../build/build'
import type { Site } from '../content/schema'
import { ContentError, ContentErrors } from '../build/errors'
import type { SourceImage } from '../build/images'
import { indexEntry, postTerms, type SearchIndex } from '../build/search'
import { contentPaths, readSourceFile, readSourceImage } from './content-files'
import { UsageError } from './errors'

// The publisher's build of a content directory. Each post is read, checked, measured and stored
// on its own until the shards, so the posts are shared out among threads, one per core: each
// thread reads its posts' files and makes their blobs, and this thread puts the build together.
// The bytes are those of `buildSite` on the same files: tests/cli/build-content.test.ts holds it.

/** Below this many posts, starting a thread costs more than it saves. */
export const THREADED_FROM_POSTS = 1000
/**
 * Posts a thread claims at a time: small enough that a thread slowed by other work on its core
 * leaves the rest to the others, large enough that claiming costs nothing.
 */
const CHUNK_POSTS = 200

export interface ContentBuildOptions extends BuildOptions {
  /** Threads to read posts on, this one included; by default one per core for a large blog. */
  threads?: number
}

export interface ContentBuild {
  files: ContentFiles
  /** Null when the content has problems. */
  build: Build | null
  /** Every problem, in the order `buildSite` reports them. */
  problems: ContentError[]
}

/** What a thread is given: every post's file, and a counter from which it claims chunks of them. */
export interface ThreadInput {
  paths: string[]
  root: string
  context: PostContext
  /** One Int32: the next chunk to claim. */
  next: SharedArrayBuffer
  /** Whether the thread, once it has read its chunks, waits to index the search. */
  indexes?: boolean
}

/** What a thread makes of one chunk; plain data, to cross between threads. */
export interface PostChunk {
  index: number
  files: SourceFile[]
  posts: ParsedPost[]
  problems: { file: string; problem: string; where: ContentError['where'] }[]
}

/** Reads the posts of every chunk it claims, until none is left. */
export function* claimChunks(input: ThreadInput): Generator<PostChunk> {
  const next = new Int32Array(input.next)
  for (;;) {
    const index = Atomics.add(next, 0, 1)
    const start = index * CHUNK_POSTS
    if (start >= input.paths.length) return
    yield readChunk(index, input.paths.slice(start, start + CHUNK_POSTS), input)
  }
}

function readChunk(index: number, paths: string[], { root, context }: ThreadInput): PostChunk {
  const files = paths.map((path) => readSourceFile(path, root))
  const problems: ContentError[] = []
  const posts = readPosts(files, context, problems)
  for (const post of posts) {
    const json = JSON.stringify(post.post)
    post.blob = { json, hash: createHash('sha256').update(json).digest('hex') }
    post.terms = postTerms(post)
    // The Markdown is in the file and in the blob already, and the headings are in the terms; the
    // rest of the build reads neither, so they need not cross to the main thread.
    post.post = { ...post.post, markdown: '' }
    post.headings = []
  }
  return {
    index,
    files,
    posts,
    problems: problems.map((e) => ({ file: e.file, problem: e.problem, where: e.where })),
  }
}

// From the sources, a thread needs tsx to load them.
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './build-worker-sources.mjs' : './build-worker.mjs', import.meta.url)

/** What a thread sends back: each chunk it read, then word that it has read all it could claim. */
export type ThreadMessage = { chunk: PostChunk } | { read: true } | { index: SearchIndex }

interface BuildThread {
  /** Settles once the thread has claimed no more chunks and sent back those it read. */
  read: Promise<void>
  /** The search index, made on the thread (the first thread only, which waits for it). */
  indexSearch: IndexSearch
  stop(): Promise<number>
}

function startThread(input: ThreadInput, chunks: PostChunk[]): BuildThread {
  const worker = new Worker(WORKER, { workerData: input })
  // Rejects if the thread fails, and ends if it stops, so that nothing waits on a thread that is gone.
  const messages = on(worker, 'message', { close: ['exit'] })
  const next = async (): Promise<ThreadMessage> => {
    const { value, done } = await messages.next()
    if (done) throw new Error('a build thread stopped early')
    return (value as [ThreadMessage])[0]
  }
  const read = (async () => {
    for (let message = await next(); !('read' in message); message = await next()) {
      if ('chunk' in message) chunks[message.chunk.index] = message.chunk
    }
  })()
  return {
    read,
    indexSearch: async (posts) => {
      await read
      // The posts come from readChunk, which found their terms.
      worker.postMessage(posts.map((post) => indexEntry(post, post.terms)))
      const message = await next()
      if (!('index' in message)) throw new Error('a build thread answered out of turn')
      return message.index
    },
    stop: () => worker.terminate(),
  }
}

async function readAndBuild(contentDir: string, root: string, options: ContentBuildOptions): Promise<ContentBuild> {
  const paths = contentPaths(contentDir)
  const site = readSourceFile(paths.site, root)
  const problems: ContentError[] = []
  const settings = readSite(site, problems)
  const threads = options.threads ?? (paths.posts.length >= THREADED_FROM_POSTS ? availableParallelism() : 1)
  const images = paths.images.map((file) => readSourceImage(file, contentDir, root))
  const input: ThreadInput = { paths: paths.posts, root, context: postContext(settings, options), next: new SharedArrayBuffer(4) }

  const chunks: PostChunk[] = []
  const others = Array.from({ length: Math.max(0, threads - 1) }, (_, i) => startThread({ ...input, indexes: i === 0 }, chunks))
  try {
    // This thread claims chunks too, while the others start.
    for (const chunk of claimChunks(input)) chunks[chunk.index] = chunk
    await Promise.all(others.map((thread) => thread.read))
    return await finish(site, settings, chunks, paths.pages, images, root, options, problems, others[0]?.indexSearch)
  } finally {
    await Promise.all(others.map((thread) => thread.stop()))
  }
}

async function finish(
  site: SourceFile,
  settings: Site | null,
  chunks: PostChunk[],
  pagePaths: string[],
  images: SourceImage[],
  root: string,
  options: BuildOptions,
  problems: ContentError[],
  indexSearch: IndexSearch | undefined,
): Promise<ContentBuild> {
  const posts: ParsedPost[] = []
  const postFiles: SourceFile[] = []
  for (const chunk of chunks) {
    posts.push(...chunk.posts)
    postFiles.push(...chunk.files)
    for (const { file, problem, where } of chunk.problems) problems.push(new ContentError(file, problem, where))
  }
  const files: ContentFiles = {
    site,
    posts: postFiles,
    pages: pagePaths.map((path) => readSourceFile(path, root)),
    images,
  }
  try {
    return { files, build: await finishBuild(settings, posts, files.pages, images, options, problems, indexSearch), problems: [] }
  } catch (error) {
    if (!(error instanceof ContentErrors)) throw error
    return { files, build: null, problems: error.errors }
  }
}

/** Reads `dir` and builds it, or says what is missing for that; paths in problems are relative to `root`. */
export async function buildContent(dir: string, root: string, options: ContentBuildOptions): Promise<ContentBuild> {
  const info = await stat(dir).catch(() => null)
  if (!info?.isDirectory()) throw new UsageError(`there is no content directory at ${dir}: run quire from the project's directory, or pass --content DIR`)
  try {
    return await readAndBuild(dir, root, options)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      const path = relative(root, join(dir, 'site.yaml')).split(sep).join('/')
      throw new ContentErrors([new ContentError(path, 'is missing: the site settings (title, author, baseUrl, timeZone) live there')])
    }
    throw error
  }
}
