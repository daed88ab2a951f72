import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Build, buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { renderKey, rendersKeptKey } from '../../src/content/keys'
import { RENDERER_VERSION } from '../../src/markdown/version'
import { copyContent, copyStore, editFile, kvDelete, kvGet, kvList, kvPut, quire, tempDir } from './helpers'

// One store with three published versions; every test works on its own copy of it.

let store: string
let content: string
let builds: Build[]

beforeAll(async () => {
  const dir = await tempDir()
  content = await copyContent(dir)
  store = join(dir, 'store')
  const edits = [
    () => {},
    () => editFile(join(content, 'posts/2026/03/how-django-works-internally.md'), (t) => t.replace('Ask most', 'Ask nearly all')),
    () => editFile(join(content, 'pages/about.md'), (t) => t.replace("I'm Ines Calder", 'I am Ines Calder')),
  ]
  builds = []
  for (const edit of edits) {
    await edit()
    const publish = await quire(['publish', '--local', '--persist-to', store, '--content', content])
    if (publish.code !== 0) throw new Error(`publish failed:\n${publish.stderr}`)
    builds.push(await buildSite(await readContentFiles(content), { now: Date.now() }))
  }
}, 600_000)

const version = (n: number) => builds[n]?.head.version ?? ''
const headBytes = (n: number) => builds[n]?.headJson ?? ''

async function storeCopy(): Promise<string> {
  return copyStore(store, await tempDir())
}

interface StoredHistory {
  schema: 1
  entries: { version: string; replacedAt: number; posts?: number; pages?: number; head?: string }[]
}

async function readHistory(store: string): Promise<StoredHistory> {
  return JSON.parse((await kvGet(store, ['head:history'])).get('head:history') ?? '') as StoredHistory
}

const manifestKey = (n: number) => `manifest:${version(n)}`
/** A manifest as Quire wrote it before it held the head: the sorted list of the version's blob hashes. */
const manifestListOnly = (n: number) => ({ key: manifestKey(n), value: JSON.stringify([...(builds[n]?.blobs.keys() ?? [])].sort()) })

/**
 * Rewrites a copy of the store as an older Quire left it: every history entry holds its head's
 * text, and every manifest is a list of hashes alone.
 */
async function olderQuireStoreCopy(): Promise<string> {
  const copy = await storeCopy()
  const { entries } = await readHistory(copy)
  const older = { schema: 1, entries: entries.map(({ version: v, replacedAt }) => ({ version: v, replacedAt, head: headBytes(builds.findIndex((b) => b.head.version === v)) })) }
  await kvPut(copy, [{ key: 'head:history', value: JSON.stringify(older) }, manifestListOnly(0), manifestListOnly(1), manifestListOnly(2)])
  return copy
}

describe.concurrent('versions', () => {
  it('lists the live version first, then the kept ones, newest first', async () => {
    const result = await quire(['versions', '--local', '--persist-to', store])
    expect(result.code).toBe(0)
    const rows = result.stdout.split('\n').filter((line) => /^[* ] [0-9a-f]{16} /.test(line))
    expect(rows.map((row) => row.slice(2, 18))).toEqual([version(2), version(1), version(0)])
    expect(rows[0]).toMatch(/^\* [0-9a-f]{16} {2}live since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d[-+]\d\d:\d\d {2}14 posts, 1 page$/)
    expect(rows[1]).toMatch(/^ {2}[0-9a-f]{16} {2}live until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d[-+]\d\d:\d\d {2}14 posts, 1 page$/)
  })
})

describe.concurrent('rollback', () => {
  it('makes the previous version live again, byte for byte, then a named older one', async () => {
    const copy = await storeCopy()
    const first = await quire(['rollback', '--local', '--persist-to', copy])
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`rolled back the local store in ${copy} to version ${version(1)}, replacing ${version(2)}`)
    expect((await kvGet(copy, ['head'])).get('head')).toBe(headBytes(1))

    const second = await quire(['rollback', version(0).slice(0, 6), '--local', '--persist-to', copy])
    expect(second.code).toBe(0)
    const after = await kvGet(copy, ['head', 'head:history'])
    expect(after.get('head')).toBe(headBytes(0))
    // Nothing is lost: the versions rolled back from are kept, newest first, their heads in their
    // manifests.
    const history = JSON.parse(after.get('head:history') ?? '') as StoredHistory
    expect(history.entries.map((entry) => entry.version)).toEqual([version(1), version(2)])
    expect(history.entries[1]).not.toHaveProperty('head')
    const third = await quire(['rollback', version(2), '--local', '--persist-to', copy])
    expect(third.code).toBe(0)
    expect((await kvGet(copy, ['head'])).get('head')).toBe(headBytes(2))
  }, 300_000)

  it('refuses a version that is not kept, with exit 1 and the kept ones', async () => {
    const result = await quire(['rollback', 'beef', '--local', '--persist-to', store])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`error: no kept version starts with "beef"; kept: ${version(1)}, ${version(0)}\n`)
  })

  it('on an empty store, has nothing to roll back (exit 2), and versions says nothing is published', async () => {
    const empty = join(await tempDir(), 'store')
    const result = await quire(['rollback', '--local', '--persist-to', empty])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(`error: the local store in ${empty} has nothing published, so there is nothing to roll back\n`)
    const listed = await quire(['versions', '--local', '--persist-to', empty])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toBe(`the local store in ${empty} has nothing published yet\n`)
  })
})

describe.concurrent('head:history', () => {
  it("keeps a version's counts, not its head, whose exact text is in the version's manifest", async () => {
    const history = await readHistory(store)
    expect(history.entries).toEqual([
      { version: version(1), replacedAt: expect.any(Number), posts: 14, pages: 1 },
      { version: version(0), replacedAt: expect.any(Number), posts: 14, pages: 1 },
    ])
    // An entry is a few dozen bytes, whatever the size of its head.
    const text = (await kvGet(store, ['head:history'])).get('head:history') ?? ''
    expect(JSON.stringify(history.entries[1]).length).toBeLessThan(100)
    expect(text.length * 10).toBeLessThan(headBytes(0).length)
    const manifest = JSON.parse((await kvGet(store, [manifestKey(0)])).get(manifestKey(0)) ?? '') as { head: string; blobs: string[] }
    expect(manifest.head).toBe(headBytes(0))
    expect(manifest.blobs).toEqual([...(builds[0]?.blobs.keys() ?? [])].sort())
  })

  it('as an older Quire wrote it, with heads in the history and lists of hashes as manifests, still serves versions, prune and rollback', async () => {
    const copy = await olderQuireStoreCopy()
    const listed = await quire(['versions', '--local', '--persist-to', copy])
    expect(listed.code).toBe(0)
    const rows = listed.stdout.split('\n').filter((line) => /^[* ] [0-9a-f]{16} /.test(line))
    expect(rows.map((row) => row.slice(2, 18))).toEqual([version(2), version(1), version(0)])
    for (const row of rows) expect(row).toMatch(/ {2}14 posts, 1 page$/)

    const orphan = `blob:${'0'.repeat(63)}4`
    await kvPut(copy, [{ key: orphan, value: '{"old":true}', metadata: { uploadedAt: Date.now() - 7_200_000 } }])
    const pruned = await quire(['prune', '--older-than', '1h', '--local', '--persist-to', copy])
    expect(pruned.code).toBe(0)
    expect(pruned.stdout).toMatch(/^deleted 1 unused blob from .*; kept \d+ blobs named by 3 kept versions$/m)
    const inUse = new Set(builds.flatMap((build) => [...build.blobs.keys()].map((hash) => `blob:${hash}`)))
    expect((await kvList(copy, 'blob:')).map((key) => key.name).sort()).toEqual([...inUse].sort())

    const first = await quire(['rollback', version(0), '--local', '--persist-to', copy])
    expect(first.code).toBe(0)
    expect((await kvGet(copy, ['head'])).get('head')).toBe(headBytes(0))
    // The live version's manifest lacked its head, so the history keeps it.
    const history = await readHistory(copy)
    expect(history.entries.map((entry) => [entry.version, entry.head])).toEqual([
      [version(2), headBytes(2)],
      [version(1), headBytes(1)],
    ])
    const back = await quire(['rollback', version(2), '--local', '--persist-to', copy])
    expect(back.code).toBe(0)
    expect((await kvGet(copy, ['head'])).get('head')).toBe(headBytes(2))
  }, 300_000)

  it('publishing over a version an older Quire published keeps that head in the history, then rolls back to it', async () => {
    const dir = await tempDir()
    const copy = await copyStore(store, dir)
    await kvPut(copy, [manifestListOnly(2)])
    const edited = await copyContent(dir, content)
    await editFile(join(edited, 'posts/2026/03/how-django-works-internally.md'), (t) => t.replace('Ask nearly all', 'Ask almost all'))
    const published = await quire(['publish', '--local', '--persist-to', copy, '--content', edited])
    expect(published.code).toBe(0)
    const history = await readHistory(copy)
    expect(history.entries).toEqual([
      { version: version(2), replacedAt: expect.any(Number), posts: 14, pages: 1, head: headBytes(2) },
      { version: version(1), replacedAt: expect.any(Number), posts: 14, pages: 1 },
      { version: version(0), replacedAt: expect.any(Number), posts: 14, pages: 1 },
    ])
    const rolledBack = await quire(['rollback', '--local', '--persist-to', copy])
    expect(rolledBack.code).toBe(0)
    expect((await kvGet(copy, ['head'])).get('head')).toBe(headBytes(2))
  }, 300_000)

  it('refuses to roll back to a version whose head neither the history nor its manifest holds (exit 2), and writes nothing', async () => {
    const copy = await storeCopy()
    await kvPut(copy, [manifestListOnly(0)])
    const before = await kvGet(copy, ['head', 'head:history'])
    const listOnly = await quire(['rollback', version(0), '--local', '--persist-to', copy])
    expect(listOnly.code).toBe(2)
    expect(listOnly.stderr).toBe(
      `error: cannot roll back to version ${version(0)}: head:history keeps only its counts, and its manifest (${manifestKey(0)}) ` +
        'was written by an older Quire, without the head; nothing was changed\n',
    )
    await kvDelete(copy, [manifestKey(0)])
    const missing = await quire(['rollback', version(0), '--local', '--persist-to', copy])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(
      `error: cannot roll back to version ${version(0)}: head:history keeps only its counts, and its manifest (${manifestKey(0)}) is missing; nothing was changed\n`,
    )
    expect(await kvGet(copy, ['head', 'head:history'])).toEqual(before)
  }, 300_000)
})

describe.concurrent('prune', () => {
  it('deletes unused blobs with their renders, and other renderers’ renders and marks, older than the grace period, and keeps the live and kept versions intact', async () => {
    const copy = await storeCopy()
    const hour = 3_600_000
    const orphans = {
      old: `blob:${'0'.repeat(63)}1`,
      young: `blob:${'0'.repeat(63)}2`,
      unknownAge: `blob:${'0'.repeat(63)}3`,
    }
    const renders = await kvList(copy, 'render:')
    const livePost = builds[2]?.posts[0]?.hash ?? ''
    const staleRenders = {
      // The renders of the unused blobs above, one uploaded long ago, one just now.
      old: renderKey(RENDERER_VERSION, orphans.old.slice('blob:'.length)),
      young: renderKey(RENDERER_VERSION, orphans.young.slice('blob:'.length)),
      // A live post's render under another renderer, kept by a Worker (no upload time).
      otherRenderer: renderKey('0123abcd', livePost),
    }
    await kvPut(copy, [
      { key: orphans.old, value: '{"old":true}', metadata: { uploadedAt: Date.now() - 2 * hour } },
      { key: orphans.young, value: '{"young":true}', metadata: { uploadedAt: Date.now() } },
      { key: orphans.unknownAge, value: '{"unknown":true}' },
      { key: staleRenders.old, value: 'old', metadata: { uploadedAt: Date.now() - 2 * hour } },
      { key: staleRenders.young, value: 'young', metadata: { uploadedAt: Date.now() } },
      { key: staleRenders.otherRenderer, value: 'other' },
      { key: rendersKeptKey('0123abcd'), value: '1' },
    ])
    const result = await quire(['prune', '--older-than', '1h', '--local', '--persist-to', copy])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^deleted 2 unused blobs from .*; kept \d+ blobs named by 3 kept versions and 1 unused but younger than 1 h; deleted 1 render of 1 other renderer$/m,
    )

    const inUse = new Set(builds.flatMap((build) => [...build.blobs.keys()].map((hash) => `blob:${hash}`)))
    const left = (await kvList(copy, 'blob:')).map((key) => key.name)
    expect(left.sort()).toEqual([...inUse, orphans.young].sort())
    // Every render the publishes kept is of a blob a kept version names, under this renderer.
    expect(renders.length).toBeGreaterThan(0)
    expect((await kvList(copy, 'render:')).map((key) => key.name).sort()).toEqual([...renders.map((key) => key.name), staleRenders.young].sort())
    expect((await kvList(copy, 'renders-kept:')).map((key) => key.name)).toEqual([rendersKeptKey(RENDERER_VERSION)])
  }, 300_000)

  it('refuses a grace period it cannot read (exit 1)', async () => {
    const result = await quire(['prune', '--older-than', 'soon', '--local', '--persist-to', store])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('error: cannot read "soon" as a duration; write e.g. 90s, 10m, 1h or 2d\n')
  })
})
