import { type ChildProcess, spawn } from 'node:child_process'
import { type FSWatcher, watch } from 'node:fs'
import { createServer } from 'node:net'
import { pathToFileURL } from 'node:url'
import { Command, Option } from 'commander'
import { reportFailure } from './failure'
import type { Output } from './output'
import { type PublishMemory, publish } from './publish'
import { resolveWrangler, stopRunningWrangler, type Target } from './wrangler'

// `npm start`: publish content/ to the local store, serve it with `wrangler dev` (which reads the
// same store), and publish again whenever a file under content/ changes.

/** Saves arrive in bursts (editor swap files, several files at once): publish once they settle. */
const DEBOUNCE_MS = 300
/** How long `wrangler dev` may take to stop before it is killed. */
const STOP_GRACE_MS = 5_000

export interface StartOptions {
  port: number
  persistTo: string
  contentDir: string
  drafts?: boolean
  config?: string
}

const prefixed = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`[quire] ${line}\n`)
const out: Output = { info: prefixed(process.stdout), error: prefixed(process.stderr), isTTY: false }

/** Whether something already listens on the port: wrangler dev would start, fail to bind and stop. */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)))
  })
}

export async function start(options: StartOptions): Promise<number> {
  const target: Target = { mode: 'local', persistTo: options.persistTo, ...(options.config ? { config: options.config } : {}) }
  const memory: PublishMemory = { manifests: new Map() }
  const url = `http://127.0.0.1:${options.port}/`
  let running: Promise<void> | null = null
  let again = false
  let timer: NodeJS.Timeout | undefined
  let stopping = false

  const republish = async (): Promise<void> => {
    try {
      // The Worker serving the store is this checkout's, under wrangler dev: it reads what this publishes.
      const summary = await publish({ contentDir: options.contentDir, target, out, drafts: options.drafts, memory, servedByThisCode: true })
      // The Worker keeps the head it read for 5 s.
      if (summary.outcome === 'published') out.info(`${url} shows version ${summary.version} within 5 s`)
    } catch (error) {
      if (!stopping) reportFailure(error, out, 'publish')
    }
  }
  const publishSoon = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (running) {
        again = true
        return
      }
      running = (async () => {
        do {
          again = false
          await republish()
        } while (again && !stopping)
        running = null
      })()
    }, DEBOUNCE_MS)
  }

  let server: ChildProcess | null = null
  let watcher: FSWatcher | null = null
  let finish: (code: number) => void = () => {}
  const finished = new Promise<number>((resolve) => {
    finish = resolve
  })
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    clearTimeout(timer)
    watcher?.close()
    stopRunningWrangler(signal)
    if (!server) {
      finish(0)
      return
    }
    server.kill(signal)
    setTimeout(() => server?.kill('SIGKILL'), STOP_GRACE_MS).unref()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  // A first publish that fails (bad content) still starts the server: the next save publishes.
  await republish()
  if (stopping) return finished
  if (await portInUse(options.port)) {
    out.error(`port ${options.port} on 127.0.0.1 is in use: stop what serves there, or start on another with --port (or PORT=)`)
    return 2
  }

  const args = ['dev', '--port', String(options.port), '--ip', '127.0.0.1', '--persist-to', options.persistTo, '--show-interactive-dev-session=false']
  if (options.config) args.push('--config', options.config)
  server = spawn(resolveWrangler(), args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
  server.on('error', (error) => {
    out.error(`could not start wrangler dev: ${error.message}`)
    stop('SIGTERM')
  })
  server.on('exit', async (code, signal) => {
    const asked = stopping
    if (!asked) out.error(`wrangler dev stopped (${signal ?? `exit ${code}`}); stopping`)
    stopping = true
    clearTimeout(timer)
    watcher?.close()
    // Let a publish in flight fail and release its lock before this process ends.
    await running
    finish(asked ? 0 : (code || 2))
  })
  watcher = watch(options.contentDir, { recursive: true }, publishSoon)
  watcher.on('error', (error) => out.error(`watching ${options.contentDir} failed: ${error.message}`))
  out.info(`serving ${url}; watching ${options.contentDir}/ and publishing each change to ${options.persistTo}`)
  return finished
}

function parseOptions(argv: string[]): StartOptions {
  const program = new Command('start')
    .description('Publish content/ to the local store, serve it with wrangler dev, and republish on every save.')
    .addOption(new Option('--port <port>', 'the port to serve on').env('PORT').default('8787'))
    .addOption(new Option('--persist-to <dir>', 'the local store, shared with wrangler dev').env('QUIRE_PERSIST_TO').default('.wrangler/state'))
    .addOption(new Option('--content <dir>', 'the content directory').default('content'))
    .option('--drafts', 'publish drafts too, to preview them')
    .option('--config <file>', 'the wrangler config file (default wrangler.jsonc)')
    .parse(argv)
  const flags = program.opts<{ port: string; persistTo: string; content: string; drafts?: boolean; config?: string }>()
  const port = Number(flags.port)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) program.error(`--port must be a port number, not "${flags.port}"`)
  return { port, persistTo: flags.persistTo, contentDir: flags.content, drafts: flags.drafts, config: flags.config }
}

/** `npm start` with its command line (src/cli/start.mjs runs it from the CLI's bundle). */
export const runStart = (argv: string[]): Promise<number> => start(parseOptions(argv))

// Run as a file of its own, through tsx.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runStart(process.argv)
}
