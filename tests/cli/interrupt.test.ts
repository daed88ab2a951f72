import { existsSync } from 'node:fs'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { renderKey, rendersKeptKey } from '../../src/content/keys'
import { documentsOf } from '../../src/cli/renders'
import { RENDERER_VERSION } from '../../src/markdown/version'
import { copyContent, copyStore, editFile, kvDelete, kvGet, kvList, quire, tempDir, WRANGLER } from './helpers'

// A publish that dies before `head` is written must leave the site serving the previous version
// whole, and running publish again must complete it. The fault comes from a `wrangler` wrapper put
// first on PATH; the storage is the real local KV.

let baseline: { store: string; head: string; blobs: string[] }

beforeAll(async () => {
  const dir = await tempDir()
  const store = join(dir, 'store')
  const publish = await quire(['publish', '--local', '--persist-to', store])
  if (publish.code !== 0) throw new Error(`the first publish failed:\n${publish.stderr}`)
  // A first publish: every blob in the store is one its head names.
  baseline = { store, head: (await kvGet(store, ['head'])).get('head') ?? '', blobs: (await kvList(store, 'blob:')).map((key) => key.name) }
}, 300_000)

/**
 * A directory holding a `wrangler` that runs the real one but fails its `failOn`-th call: before
 * running it (`before`), after it ran (`after`), or by killing the quire process that called it
 * once it ran (`kill`), as a crash or a closed laptop would.
 */
async function faultyWrangler(dir: string, failOn: number, mode: 'before' | 'after' | 'kill'): Promise<string> {
  const bin = join(dir, 'bin')
  await mkdir(bin)
  const script = `#!/bin/sh
count_file="${join(bin, 'calls')}"
n=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$count_file"
if [ "$n" = "${failOn}" ] && [ "${mode}" = before ]; then
  echo "wrapper: call $n fails before wrangler runs" >&2
  exit 1
fi
"${WRANGLER}" "$@"
status=$?
if [ "$n" = "${failOn}" ] && [ "${mode}" = kill ]; then kill -9 $PPID; fi
if [ "$n" = "${failOn}" ]; then
  echo "wrapper: call $n dies after wrangler ran" >&2
  exit 1
fi
exit $status
`
  await writeFile(join(bin, 'wrangler'), script)
  await chmod(join(bin, 'wrangler'), 0o755)
  return bin
}

// The calls of a publish over a live head: 1 read head, 2 read its manifest, 3 upload the new
// blobs, 4 read them back with head, 5 write head.
describe.concurrent.each([
  { fault: 'the head write fails', failOn: 5, mode: 'before' as const, exit: 2 },
  { fault: 'the process is killed just after the new blobs are uploaded', failOn: 3, mode: 'kill' as const, exit: -1 },
])('when $fault', ({ failOn, mode, exit }) => {
  it('the store keeps serving the previous version whole, and publishing again completes', async () => {
    const dir = await tempDir()
    const store = await copyStore(baseline.store, dir)
    const content = await copyContent(dir)
    await editFile(join(content, 'posts/2026/03/how-django-works-internally.md'), (text) =>
      text.replace('Ask most Django developers', 'Ask nearly any Django developer'),
    )
    const bin = await faultyWrangler(dir, failOn, mode)
    const args = ['publish', '--local', '--persist-to', store, '--content', content]

    // The killed process cannot clean up its temporary files: keep them inside this test's directory.
    const tmp = join(dir, 'tmp')
    await mkdir(tmp)
    const failed = await quire(args, { env: { PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp } })
    expect(failed.code).toBe(exit)
    if (exit === 2) {
      expect(failed.stderr).toMatch(/^error: wrangler kv bulk put exited with 1:\nwrapper: call 5 fails before wrangler runs$/m)
    }

    const after = await kvGet(store, ['head', 'head:history'])
    expect(after.get('head')).toBe(baseline.head)
    const listed = new Set((await kvList(store, 'blob:')).map((key) => key.name))
    for (const key of baseline.blobs) expect(listed).toContain(key)
    if (mode === 'kill') expect(existsSync(join(store, 'quire.lock'))).toBe(true)

    const again = await quire(args)
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    const build = await buildSite(await readContentFiles(content), { now: Date.now() })
    const done = await kvGet(store, ['head', 'head:history'])
    expect(done.get('head')).toBe(build.headJson)
    // The version the failed publish meant to replace is kept once, for rollback (its head in its manifest).
    const history = JSON.parse(done.get('head:history') ?? '{}') as { entries: { version: string }[] }
    expect(history.entries.map((entry) => entry.version)).toEqual([JSON.parse(baseline.head).version])
    expect(existsSync(join(store, 'quire.lock'))).toBe(false)
  }, 300_000)
})

describe('when another writer moves head while a publish uploads', () => {
  it('the publish refuses to overwrite it (exit 2), and the other head stays live', async () => {
    const dir = await tempDir()
    const store = await copyStore(baseline.store, dir)
    const content = await copyContent(dir)
    await editFile(join(content, 'posts/2026/03/how-django-works-internally.md'), (text) =>
      text.replace('Ask most Django developers', 'Ask nearly any Django developer'),
    )
    // The lock keeps two quire processes apart on one store, so the other writer is wrangler
    // itself, run by the wrapper right after the upload: as a second machine would on remote KV.
    const other = baseline.head.replace(/"version":"[0-9a-f]{16}"/, '"version":"ffffffffffffffff"')
    const otherFile = join(dir, 'other-head.json')
    await writeFile(otherFile, JSON.stringify([{ key: 'head', value: other }]))
    const bin = join(dir, 'bin')
    await mkdir(bin)
    await writeFile(
      join(bin, 'wrangler'),
      `#!/bin/sh
count_file="${join(bin, 'calls')}"
n=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$count_file"
"${WRANGLER}" "$@" || exit $?
if [ "$n" = 3 ]; then "${WRANGLER}" kv bulk put "${otherFile}" --local --binding CONTENT --persist-to "${store}" >/dev/null; fi
`,
    )
    await chmod(join(bin, 'wrangler'), 0o755)

    const result = await quire(['publish', '--local', '--persist-to', store, '--content', content], { env: { PATH: `${bin}:${process.env.PATH}` } })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `error: the head of the local store in ${store} changed while this publish was uploading ` +
        `(from ${JSON.parse(baseline.head).version} to ffffffffffffffff): another publish or rollback ran at the same time. ` +
        'This publish did not switch head; run it again to publish on top of the other.\n',
    )
    expect((await kvGet(store, ['head'])).get('head')).toBe(other)
  }, 300_000)
})

describe('when keeping the renders an upgrade needs fails part way (a daily write limit, say)', () => {
  it('the new version is live all the same, and the next publish keeps only what is still missing', async () => {
    const dir = await tempDir()
    const store = await copyStore(baseline.store, dir)
    const content = await copyContent(dir)
    // The store as a new renderer finds it: none of its renders, and no mark that they are kept.
    const renders = (await kvList(store, 'render:')).map((key) => key.name)
    await kvDelete(store, [...renders, rendersKeptKey(RENDERER_VERSION)])
    await editFile(join(content, 'posts/2026/03/how-django-works-internally.md'), (text) =>
      text.replace('Ask most Django developers', 'Ask nearly any Django developer'),
    )
    const build = await buildSite(await readContentFiles(content), { now: Date.now() })
    const edited = build.posts.find((post) => post.file.endsWith('how-django-works-internally.md'))?.hash ?? ''
    // The calls: 1 read head, 2 read its manifest, 3 upload, 4 read back, 5 write head, 6 list the
    // renders this renderer has, 7 upload the missing ones (which fails), then the mark.
    const bin = await faultyWrangler(dir, 7, 'before')
    const args = ['publish', '--local', '--persist-to', store, '--content', content]
    const first = await quire(args, { env: { PATH: `${bin}:${process.env.PATH}` } })
    expect(first.code).toBe(0)
    const missing = renders.length - 1
    expect(first.stderr).toMatch(
      new RegExp(`^warning: ${missing} renders of ${missing} could not be kept \\(wrangler kv bulk put exited with 1:\\); the new version is live all the same`, 'm'),
    )
    expect(first.stdout).toContain(`  renders:    1 (`)
    expect(first.stdout).toContain(`; ${missing} not kept, for the next publish\n`)
    expect((await kvGet(store, ['head'])).get('head')).toBe(build.headJson)
    expect((await kvList(store, 'render:')).map((key) => key.name)).toEqual([renderKey(RENDERER_VERSION, edited)])
    expect(await kvList(store, 'renders-kept:')).toEqual([])

    const again = await quire(args)
    expect(again.code).toBe(0)
    expect(again.stderr).toBe('')
    expect(again.stdout).toMatch(/^up to date: .*; only the renders, \d+\.\d kB, uploaded$/m)
    expect(again.stdout).toContain(`  keys written: ${missing + 1} (`)
    const kept = (await kvList(store, 'render:')).map((key) => key.name)
    expect(kept.sort()).toEqual(documentsOf(build).map(([, hash]) => renderKey(RENDERER_VERSION, hash)).sort())
    expect((await kvList(store, 'renders-kept:')).map((key) => key.name)).toEqual([rendersKeptKey(RENDERER_VERSION)])
  }, 300_000)
})
