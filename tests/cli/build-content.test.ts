import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { beforeAll, describe, expect, it } from 'vitest'
import { BUILT_AT, corpus } from '../../bench/generate'
import { type Build, buildSite, type ContentFiles, type SourceFile } from '../../src/build/build'
import { ContentErrors } from '../../src/build/errors'
import { buildContent, claimChunks, type ContentBuild, type PostChunk, type ThreadInput, type ThreadMessage } from '../../src/cli/build-content'
import { contentPaths, readContentFiles } from '../../src/cli/content-files'
import { quire, ROOT, tempDir } from './helpers'

// The publisher's build shares the posts among threads; whatever the threads, its bytes and its
// problems are those of buildSite over the same files, read one after another.

async function writeContent(root: string, files: ContentFiles): Promise<string> {
  for (const file of [files.site, ...files.posts, ...files.pages]) {
    await mkdir(dirname(join(root, file.path)), { recursive: true })
    await writeFile(join(root, file.path), file.text)
  }
  return join(root, 'content')
}

async function sequentialBuild(contentDir: string, root: string, options: { now: number; drafts?: boolean }): Promise<ContentBuild> {
  const files = await readContentFiles(contentDir, root)
  try {
    return { files, build: await buildSite(files, options), problems: [] }
  } catch (error) {
    if (!(error instanceof ContentErrors)) throw error
    return { files, build: null, problems: error.errors }
  }
}

/** Everything a build hands the publisher, blobs in their order. */
const bytesOf = (build: Build | null) => build && { headJson: build.headJson, blobs: [...build.blobs], posts: build.posts }

const post = (path: string, front: string): SourceFile => ({ path, text: `---\n${front}\n---\n\nA body.\n` })

describe('the build on several threads', () => {
  // More posts than one thread's chunk, so that every thread has several.
  const good = corpus(1100)
  // The same posts with problems in different chunks: a bad date near the start, a twin URL of a
  // post in another chunk near the end, an unknown field in the middle.
  const twin = good.posts[900] as SourceFile
  const bad: ContentFiles = {
    ...good,
    posts: [
      ...good.posts.slice(0, 10),
      post('content/posts/aaa-bad-date.md', 'title: Bad\ndate: next tuesday'),
      ...good.posts.slice(10, 500),
      post('content/posts/mmm-unknown.md', 'title: Unknown\ndate: 2020-01-01T00:00:00Z\ncolour: red'),
      ...good.posts.slice(500),
      { path: twin.path.replace(/([^/]+)\.md$/, 'zz-$1.md'), text: twin.text.replace(/^---\n/, `---\nslug: ${twin.path.split('/').pop()?.replace('.md', '')}\n`) },
    ],
  }
  let goodDir = ''
  let badDir = ''
  let root = ''
  beforeAll(async () => {
    root = await tempDir()
    goodDir = await writeContent(join(root, 'good'), good)
    badDir = await writeContent(join(root, 'bad'), bad)
  })

  it.each([1, 2, 3])('builds the same head, blobs and posts as buildSite on %i thread(s)', async (threads) => {
    const expected = await sequentialBuild(goodDir, join(root, 'good'), { now: BUILT_AT })
    const built = await buildContent(goodDir, join(root, 'good'), { now: BUILT_AT, threads })
    expect(built.problems).toEqual([])
    expect(bytesOf(built.build)).toEqual(bytesOf(expected.build))
    expect(built.files).toEqual(expected.files)
  })

  it('a build thread hands back the chunks this thread would make', async () => {
    // Which thread claims which chunk depends on timing; here one thread claims them all.
    const input = (): ThreadInput => ({
      paths: contentPaths(badDir).posts,
      root: join(root, 'bad'),
      context: { timeZone: 'America/New_York', siteAuthor: 'Someone', drafts: false },
      next: new SharedArrayBuffer(4),
    })
    const fromThread = await new Promise<PostChunk[]>((resolve, reject) => {
      const chunks: PostChunk[] = []
      const worker = new Worker(new URL('../../src/cli/build-worker-sources.mjs', import.meta.url), { workerData: input() })
      worker.on('message', (message: ThreadMessage) => 'chunk' in message && chunks.push(message.chunk))
      worker.on('error', reject)
      worker.on('exit', () => resolve(chunks))
    })
    const here = [...claimChunks(input())]
    expect(here).toHaveLength(Math.ceil(bad.posts.length / 200))
    expect(fromThread).toEqual(here)
    expect(here.flatMap((chunk) => chunk.problems)).toHaveLength(2)
  })

  it('reports the same problems, in the same order, as buildSite', async () => {
    const expected = await sequentialBuild(badDir, join(root, 'bad'), { now: BUILT_AT })
    const built = await buildContent(badDir, join(root, 'bad'), { now: BUILT_AT, threads: 3 })
    expect(built.build).toBeNull()
    expect(expected.problems.map((e) => e.message)).toHaveLength(3)
    expect(built.problems.map((e) => e.message)).toEqual(expected.problems.map((e) => e.message))
    expect(built.problems[0]?.where).toEqual({ line: 3, field: 'date' })
    expect(built.files).toEqual(expected.files)
  })

  it('`quire build --json` prints the version buildSite makes', async () => {
    const result = await quire(['build', '--json', '--content', goodDir])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const printed = JSON.parse(result.stdout) as { version: string; posts: number; blobs: number }
    // Every post of the corpus is older than now, so the clock changes nothing.
    const expected = await sequentialBuild(goodDir, join(root, 'good'), { now: Date.now() })
    expect(printed).toMatchObject({ version: expected.build?.head.version, posts: 1100, blobs: expected.build?.blobs.size })
  })

  it('`quire build` names each problem with its file, line and field, and exits 1', async () => {
    const result = await quire(['build', '--content', badDir])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('content/posts/aaa-bad-date.md:3: date: cannot read "next tuesday" as a date')
    expect(result.stderr).toContain('content/posts/mmm-unknown.md:4: colour: unknown field "colour"')
    expect(result.stderr).toMatch(/3 problems in 3 files\n$/)
  })

  it('the sample blog builds as buildSite builds it', async () => {
    const content = join(ROOT, 'content')
    const expected = await sequentialBuild(content, ROOT, { now: BUILT_AT })
    const built = await buildContent(content, ROOT, { now: BUILT_AT })
    expect(bytesOf(built.build)).toEqual(bytesOf(expected.build))
  })
})
