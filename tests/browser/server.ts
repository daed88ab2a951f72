import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { blobEntries, buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { HEAD_KEY } from '../../src/content/keys'

// The blog as a reader's browser meets it: the sample content built by the publisher's own build
// function into a local KV store of its own, served by `wrangler dev` on a free port. The store
// lives in a temporary folder, so a developer's `npm start` (and its store) is never touched.

const WRANGLER = join(process.cwd(), 'node_modules', '.bin', 'wrangler')
const run = promisify(execFile)

export interface Server {
  origin: string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function seedStore(persistTo: string): Promise<void> {
  const build = await buildSite(await readContentFiles('content'), { now: Date.now() })
  const entries: { key: string; value: string; base64?: true }[] = blobEntries(build)
  entries.push({ key: HEAD_KEY, value: build.headJson })
  const file = join(persistTo, 'bulk.json')
  await writeFile(file, JSON.stringify(entries))
  await run(WRANGLER, ['kv', 'bulk', 'put', file, '--binding', 'CONTENT', '--local', '--persist-to', persistTo], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
}

async function waitUntilServing(origin: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}:\n${log()}`)
    try {
      const res = await fetch(`${origin}/`)
      if (res.status === 200) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`wrangler dev did not serve ${origin}/ within 90 s:\n${log()}`)
}

export async function startServer(): Promise<Server> {
  const persistTo = await mkdtemp(join(tmpdir(), 'quire-browser-'))
  await seedStore(persistTo)
  const [port, inspectorPort] = [await freePort(), await freePort()]
  const origin = `http://127.0.0.1:${port}`
  let output = ''
  // Its own process group, so that stopping it by its id also stops the workerd it starts.
  const server = spawn(
    WRANGLER,
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', persistTo, '--show-interactive-dev-session=false'],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' } },
  )
  server.stdout?.on('data', (chunk) => (output += chunk))
  server.stderr?.on('data', (chunk) => (output += chunk))
  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      process.kill(-server.pid, 'SIGTERM')
      const timer = setTimeout(() => server.pid && process.kill(-server.pid, 'SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    await rm(persistTo, { recursive: true, force: true })
  }
  try {
    await waitUntilServing(origin, server, () => output)
  } catch (error) {
    await stop()
    throw error
  }
  return { origin, stop }
}
