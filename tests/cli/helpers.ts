import { decodeHead } from '../../src/content/head-text'
import { execFile, spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll } from 'vitest'

// The CLI as an author runs it (a child process, real exit codes), and the local KV store read
// back through wrangler itself, independently of the CLI's own wrangler client.

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler')
const run = promisify(execFile)

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `quire <args>` from the project root as `npm run quire` does (or `script` through tsx); an
 * `env` entry set to undefined is removed.
 */
export function quire(args: string[], options: { env?: Record<string, string | undefined>; script?: string } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', ...options.env }
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name]
  return new Promise((resolve, reject) => {
    const command = options.script ? ['--import', 'tsx', options.script] : ['src/cli/bin.mjs']
    const child = spawn(process.execPath, [...command, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

const temporary: string[] = []
// Registered when a test file imports this module, so it runs after that file's tests.
afterAll(() => Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))))

/** A temporary directory, removed after the file's tests. */
export async function tempDir(name = 'quire-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), name))
  temporary.push(dir)
  return dir
}

/** A copy of the sample content at `<dir>/content`; returns that path. */
export async function copyContent(dir: string, from = join(ROOT, 'content')): Promise<string> {
  const content = join(dir, 'content')
  await cp(from, content, { recursive: true })
  return content
}

/** A copy of a local store, so each test starts from the same published state. */
export async function copyStore(from: string, dir: string): Promise<string> {
  const store = join(dir, 'store')
  await cp(from, store, { recursive: true })
  return store
}

export async function editFile(path: string, edit: (text: string) => string): Promise<void> {
  const text = await readFile(path, 'utf8')
  const edited = edit(text)
  if (edited === text) throw new Error(`the edit changed nothing in ${path}`)
  await writeFile(path, edited)
}

async function wrangler(store: string, args: string[]): Promise<string> {
  const { stdout } = await run(WRANGLER, [...args, '--local', '--binding', 'CONTENT', '--persist-to', store], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', FORCE_COLOR: '0' },
    maxBuffer: 256 * 1024 * 1024,
  })
  return stdout
}

const json = (stdout: string): unknown => JSON.parse(stdout.slice(stdout.search(/[[{]/), Math.max(stdout.lastIndexOf('}'), stdout.lastIndexOf(']')) + 1))

/** Values of `keys` in the local store (null when absent), in one wrangler call. */
export async function kvGet(store: string, keys: string[]): Promise<Map<string, string | null>> {
  const dir = await mkdtemp(join(tmpdir(), 'quire-kv-read-'))
  try {
    const file = join(dir, 'keys.json')
    await writeFile(file, JSON.stringify(keys))
    const values = json(await wrangler(store, ['kv', 'bulk', 'get', file])) as Record<string, { value: string | null }>
    return new Map(keys.map((key) => [key, values[key]?.value ?? null]))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Deletes `keys` from the local store, in one wrangler call. */
export async function kvDelete(store: string, keys: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'quire-kv-delete-'))
  try {
    const file = join(dir, 'keys.json')
    await writeFile(file, JSON.stringify(keys))
    await wrangler(store, ['kv', 'bulk', 'delete', file, '--force'])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export interface Listed {
  name: string
  metadata?: { uploadedAt?: number }
}

export async function kvList(store: string, prefix: string): Promise<Listed[]> {
  return json(await wrangler(store, ['kv', 'key', 'list', '--prefix', prefix])) as Listed[]
}

export async function kvPut(store: string, entries: { key: string; value: string; metadata?: object }[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'quire-kv-write-'))
  try {
    const file = join(dir, 'entries.json')
    await writeFile(file, JSON.stringify(entries))
    await wrangler(store, ['kv', 'bulk', 'put', file])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Every blob hash a head names, found by reading the head's archive shards from the store. */
export async function blobsNamedBy(store: string, headText: string): Promise<Set<string>> {
  const head = decodeHead(headText) as {
    archive: { hash: string }[]
    labels: { shards: { hash: string }[] }[]
    pages: { hash: string }[]
  }
  const shardKeys = head.archive.map((ref) => `blob:${ref.hash}`)
  const shards = await kvGet(store, shardKeys)
  const hashes = new Set<string>()
  for (const ref of head.archive) {
    hashes.add(ref.hash)
    const shard = shards.get(`blob:${ref.hash}`)
    if (!shard) throw new Error(`the store lacks the archive shard ${ref.hash}`)
    for (const post of (JSON.parse(shard) as { posts: { hash: string }[] }).posts) hashes.add(post.hash)
  }
  for (const label of head.labels) for (const ref of label.shards) hashes.add(ref.hash)
  for (const page of head.pages) hashes.add(page.hash)
  return hashes
}
