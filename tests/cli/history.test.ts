import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Build, buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { copyContent, copyStore, editFile, kvGet, kvList, kvPut, quire, tempDir } from './helpers'

// One store with three published versions; every test works on its own copy of it.

let store: string
let builds: Build[]

beforeAll(async () => {
  const dir = await tempDir()
  const content = await copyContent(dir)
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
    // Nothing is lost: the versions rolled back from are kept, newest first.
    const history = JSON.parse(after.get('head:history') ?? '') as { entries: { version: string; head: string }[] }
    expect(history.entries.map((entry) => entry.version)).toEqual([version(1), version(2)])
    expect(history.entries[1]?.head).toBe(headBytes(2))
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

describe.concurrent('prune', () => {
  it('deletes only unused blobs older than the grace period, and keeps the live and kept versions intact', async () => {
    const copy = await storeCopy()
    const hour = 3_600_000
    const orphans = {
      old: `blob:${'0'.repeat(63)}1`,
      young: `blob:${'0'.repeat(63)}2`,
      unknownAge: `blob:${'0'.repeat(63)}3`,
    }
    await kvPut(copy, [
      { key: orphans.old, value: '{"old":true}', metadata: { uploadedAt: Date.now() - 2 * hour } },
      { key: orphans.young, value: '{"young":true}', metadata: { uploadedAt: Date.now() } },
      { key: orphans.unknownAge, value: '{"unknown":true}' },
    ])
    const result = await quire(['prune', '--older-than', '1h', '--local', '--persist-to', copy])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^deleted 2 unused blobs from .*; kept \d+ blobs named by 3 kept versions and 1 unused but younger than 1 h$/m)

    const inUse = new Set(builds.flatMap((build) => [...build.blobs.keys()].map((hash) => `blob:${hash}`)))
    const left = (await kvList(copy, 'blob:')).map((key) => key.name)
    expect(left.sort()).toEqual([...inUse, orphans.young].sort())
  }, 300_000)

  it('refuses a grace period it cannot read (exit 1)', async () => {
    const result = await quire(['prune', '--older-than', 'soon', '--local', '--persist-to', store])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('error: cannot read "soon" as a duration; write e.g. 90s, 10m, 1h or 2d\n')
  })
})
