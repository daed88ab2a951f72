import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

// Processes the benchmarks start, and stop by their own id. The server runs on one core and the
// load generator on the other, so that they do not steal each other's time.

export const ROOT = join(import.meta.dirname, '..', '..')
export const SERVER_CPU = '0'
export const LOAD_CPU = '1'
const WORKERD = join(ROOT, 'node_modules', 'workerd', 'bin', 'workerd')
export const WORKERD_DIR = join(ROOT, 'bench', 'workerd')

const started = new Set<ChildProcess>()

/** Stops every process this run started (by pid, not by name); for exits and interrupts. */
export function stopAll(): void {
  for (const child of started) if (child.exitCode === null) child.kill('SIGTERM')
}

export function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/** `taskset` pins a process to a core where the machine has it; otherwise the run says so. */
export const canPin = has('taskset')
const pinned = (cpu: string, argv: string[]): string[] => (canPin ? ['taskset', '-c', cpu, ...argv] : argv)

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export interface Server {
  url: string
  pid: number
  stop(): Promise<void>
}

/**
 * The configs whose KV runs in a workerd process of its own (kv.capnp, on the load generator's
 * core), as KV is a service of its own in production, and the sockets that process serves: one
 * per KV binding, each named as its external service in the config.
 */
const SEPARATE_KV: Record<string, string[]> = { bench: ['kv', 'kv100', 'kv10000'] }

/**
 * Starts `workerd serve bench/workerd/<config>.capnp` on the server core and waits until it answers;
 * for a config in SEPARATE_KV, the KV process first, with the directories, and stopped with it.
 */
export async function startWorkerd(config: string, dirs: Record<string, string> = {}, extra: string[] = []): Promise<Server> {
  const sockets = SEPARATE_KV[config]
  if (!sockets) return startProcess(config, SERVER_CPU, ['http'], dirs, extra)
  const ports = await Promise.all(sockets.map(() => freePort()))
  const kv = await startProcess('kv', LOAD_CPU, sockets, dirs, [], ports)
  try {
    const externals = sockets.map((name, i) => `--external-addr=${name}-bulk=127.0.0.1:${ports[i]}`)
    const server = await startProcess(config, SERVER_CPU, ['http'], {}, [...extra, ...externals])
    return {
      ...server,
      stop: async () => {
        await server.stop()
        await kv.stop()
      },
    }
  } catch (error) {
    await kv.stop()
    throw error
  }
}

async function startProcess(
  config: string,
  cpu: string,
  sockets: string[],
  dirs: Record<string, string>,
  extra: string[],
  ports?: number[],
): Promise<Server> {
  const chosen = ports ?? (await Promise.all(sockets.map(() => freePort())))
  const port = chosen[0] as number
  const argv = [
    WORKERD, 'serve', ...sockets.map((name, i) => `--socket-addr=${name}=127.0.0.1:${chosen[i]}`),
    ...Object.entries(dirs).map(([name, dir]) => `--directory-path=${name}=${dir}`),
    ...extra,
    join(WORKERD_DIR, `${config}.capnp`),
  ]
  const [command, ...args] = pinned(cpu, argv) as [string, ...string[]]
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  started.add(child)
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await Promise.race([exited, sleep(5000)])
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    started.delete(child)
  }
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`workerd (${config}) exited ${child.exitCode}:\n${stderr}`)
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) })
      return { url, pid: child.pid as number, stop }
    } catch {
      await sleep(50)
    }
  }
  await stop()
  throw new Error(`workerd (${config}) did not answer within 15 s:\n${stderr}`)
}

/** CPU time of all of a process's threads so far, in ms with ns resolution. */
export function processCpuMs(pid: number): number {
  let ns = 0
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0])
  }
  return ns / 1e6
}

/**
 * CPU that workerd spends from its start until it listens: reading the config, and compiling and
 * running the top level of every Worker in it. Nothing is requested, so nothing else is counted.
 */
export async function cpuUntilListening(config: string, dirs: Record<string, string> = {}): Promise<number> {
  const port = await freePort()
  const argv = pinned(SERVER_CPU, [
    WORKERD, 'serve', `--socket-addr=http=127.0.0.1:${port}`,
    ...Object.entries(dirs).map(([name, dir]) => `--directory-path=${name}=${dir}`),
    join(WORKERD_DIR, `${config}.capnp`),
  ])
  const [command, ...args] = argv as [string, ...string[]]
  const child = spawn(command, args, { stdio: 'ignore' })
  started.add(child)
  try {
    for (let i = 0; i < 5000; i++) {
      if (child.exitCode !== null) throw new Error(`workerd (${config}) exited ${child.exitCode}`)
      const listening = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1')
        socket.on('connect', () => {
          socket.destroy()
          resolve(true)
        })
        socket.on('error', () => resolve(false))
      })
      if (listening) return processCpuMs(child.pid as number)
      await sleep(2)
    }
    throw new Error(`workerd (${config}) did not listen within 10 s`)
  } finally {
    child.kill('SIGKILL')
    started.delete(child)
  }
}

export interface WrkResult {
  rps: number
  requests: number
  non2xx: number
  errors: number
}

/**
 * CPU time the process's main thread has used so far, in ms with ns resolution (from
 * /proc/PID/schedstat). workerd runs every isolate's JavaScript on its main thread; V8's background
 * threads (compilers, concurrent GC) are not counted.
 */
export function mainThreadCpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6
}

/** CPU time a process has used so far, user and system, in ms (from /proc; 10 ms ticks). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return ticks * 10
}

/** One round of wrk on the load core: requests per second over `seconds`. */
export function wrk(url: string, seconds: number, connections: number): WrkResult {
  const argv = pinned(LOAD_CPU, ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, url])
  const [command, ...args] = argv as [string, ...string[]]
  const out = spawnSync(command, args, { encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr}`)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out.stdout)?.[1])
  const requests = Number(/(\d+) requests in/.exec(out.stdout)?.[1])
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out.stdout)?.[1] ?? 0)
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out.stdout)
  const errors = errs ? errs.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0
  if (!Number.isFinite(rps)) throw new Error(`could not read wrk's output:\n${out.stdout}`)
  return { rps, requests, non2xx, errors }
}

/** A JSON answer of the measuring Worker; its `error` (a stack) or a failed status throws. */
export async function getJson<T>(server: Server, path: string): Promise<T> {
  const res = await fetch(server.url + path)
  const body = (await res.json()) as T & { error?: string }
  if (!res.ok || body.error) throw new Error(`${path}: ${body.error ?? res.status}`)
  return body
}
