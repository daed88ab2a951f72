import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { currentBundle } from '../../src/cli/cli-bundle.mjs'
import { quire, ROOT, tempDir } from './helpers'

// `quire` runs a bundle of the CLI, made again whenever a source it was made from changes.

const run = promisify(execFile)
const readManifest = async (cache: string) => JSON.parse(await readFile(join(cache, 'manifest.json'), 'utf8')) as { dir: string; inputs: Record<string, string> }

describe('the CLI bundle', () => {
  it('is made once and used while its sources are unchanged', async () => {
    const cache = await tempDir()
    const first = await currentBundle(cache)
    expect(first).not.toBeNull()
    for (const file of ['main.mjs', 'start.mjs', 'build-worker.mjs']) expect(existsSync(join(first as string, file))).toBe(true)
    const written = (await stat(join(cache, 'manifest.json'))).mtimeMs
    expect(await currentBundle(cache)).toBe(first)
    expect((await stat(join(cache, 'manifest.json'))).mtimeMs).toBe(written)
    // The packages are in the bundle, and package-lock.json says which they are.
    const inputs = Object.keys((await readManifest(cache)).inputs)
    expect(inputs).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/build/build.ts', 'package-lock.json']))
    expect(inputs.filter((path) => path.includes('node_modules'))).toEqual([])
    // In a chunk the entries share, with splitting.
    const modules = (await readdir(first as string)).filter((file) => file.endsWith('.mjs'))
    const texts = await Promise.all(modules.map((file) => readFile(join(first as string, file), 'utf8')))
    expect(texts.some((text) => text.includes('node_modules/commander/'))).toBe(true)
  })

  it('is made again when it lacks an entry, as one made before the entry was added does', async () => {
    const cache = await tempDir()
    const first = (await currentBundle(cache)) as string
    await rm(join(first, 'start.mjs'))
    const again = (await currentBundle(cache)) as string
    expect(existsSync(join(again, 'start.mjs'))).toBe(true)
  })

  it('is made again when a source it was made from has changed', async () => {
    const cache = await tempDir()
    await currentBundle(cache)
    const manifest = await readManifest(cache)
    const real = manifest.inputs['src/build/build.ts']
    // As if build.ts had held something else when the bundle was made.
    await writeFile(join(cache, 'manifest.json'), JSON.stringify({ ...manifest, inputs: { ...manifest.inputs, 'src/build/build.ts': 'an older text' } }))
    await currentBundle(cache)
    expect((await readManifest(cache)).inputs['src/build/build.ts']).toBe(real)
  })

  it('falls back to the sources through tsx when no bundle can be made', async () => {
    const unwritable = join(await tempDir(), 'a-file')
    await writeFile(unwritable, '')
    const script = `const { loadCli } = await import('./src/cli/cli-bundle.mjs'); const { main } = await loadCli(${JSON.stringify(join(unwritable, 'cache'))}); process.exitCode = await main(['node', 'quire', '--help'])`
    const fallback = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT })
    const bundled = await run(process.execPath, ['src/cli/bin.mjs', '--help'], { cwd: ROOT })
    expect(fallback.stdout).toContain('Usage: quire [options] [command]')
    expect(fallback.stdout).toBe(bundled.stdout)
  })

  it("finds the project's own wrangler from the bundle when PATH has none", async () => {
    const store = await tempDir()
    const result = await quire(['versions', '--local', '--persist-to', store], { env: { PATH: dirname(process.execPath) } })
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('has nothing published yet')
    expect(result.code).toBe(0)
  })
})
