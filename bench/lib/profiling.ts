import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { keptRender, readsKeptRender } from '../p2-render'
import { BENCH_BUNDLE_DIR, BUNDLE_DIR } from '../p5-size'
import { BIG_POST_PATH, type Corpus, middlePost, RESULTS } from './corpora'
import { freePort, ROOT, type Server, startWorkerd, wrk } from './procs'

// Where the time goes: CPU profiles of the Worker inside workerd (through workerd's inspector, while
// the benchmark's own load runs), of its start-up (`wrangler check startup`), and of the
// publisher's build (Node's --cpu-prof), summarised by package and by function. Used by
// bench/profile.ts and by `npm run bench`'s "where the time goes" section.

export interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
export interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

class Inspector {
  private next = 1
  private pending = new Map<number, (value: unknown) => void>()
  private constructor(private ws: WebSocket) {
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown }
      if (message.id !== undefined) this.pending.get(message.id)?.(message.error ? Promise.reject(message.error) : message.result)
    })
  }
  static async connect(url: string): Promise<Inspector> {
    if (typeof WebSocket === 'undefined') throw new Error('run with node --experimental-websocket')
    const ws = new WebSocket(url)
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve)
      ws.addEventListener('error', reject)
    })
    return new Inspector(ws)
  }
  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++
    this.ws.send(JSON.stringify({ id, method, params }))
    return new Promise((resolve) => this.pending.set(id, resolve as (value: unknown) => void))
  }
  close(): void {
    this.ws.close()
  }
}

async function withInspector(
  config: string,
  dirs: Record<string, string>,
  worker: string,
  prepare: (server: Server) => Promise<void>,
  run: (server: Server) => Promise<void>,
): Promise<CpuProfile> {
  const port = await freePort()
  const server = await startWorkerd(config, dirs, [`--inspector-addr=127.0.0.1:${port}`])
  try {
    await prepare(server)
    const inspector = await Inspector.connect(`ws://127.0.0.1:${port}/${worker}`)
    await inspector.send('Profiler.enable')
    await inspector.send('Profiler.setSamplingInterval', { interval: 100 })
    await inspector.send('Profiler.start')
    await run(server)
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop')
    inspector.close()
    return profile
  } finally {
    await server.stop()
  }
}

/** Module of a bundle line, from the `// path` comments esbuild writes before each module. */
function moduleMap(bundleFile: string | null): (line: number, url: string) => string {
  if (!bundleFile) {
    // A Node profile: the url is the module's own file.
    return (_line, url) => url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/^.*\/node_modules\//, 'node_modules/')
  }
  const starts: { line: number; module: string }[] = []
  readFileSync(bundleFile, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const m = /^\/\/ (?:\.\.\/)*((?:src|bench|node_modules)\/\S+)$/.exec(text)
      if (m) starts.push({ line, module: m[1] as string })
    })
  return (line) => {
    let found = '(bundle)'
    for (const s of starts) {
      if (s.line > line) break
      found = s.module
    }
    return found
  }
}

/** Folds a module path to its package (or src directory), for a coarse breakdown. */
const packageOf = (module: string): string => {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module)
  if (m) return m[1] as string
  return module.split('/').slice(0, 3).join('/')
}

export interface Summary {
  busyMs: number
  /** [package or directory, share of busy time], largest first. */
  packages: [string, number][]
  /** [function and where it is, share of busy time], largest first. */
  functions: [string, number][]
}

export function summarise(profile: CpuProfile, bundleFile: string | null): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const moduleOf = moduleMap(bundleFile)
  let at = profile.startTime
  const stamps = profile.timeDeltas.map((d) => (at += d))
  // A sample lasts until the next, but no longer than two intervals: the profiler does not sample
  // while the isolate waits, and that wait is not the last sample's work.
  const gaps = stamps.slice(1).map((t, i) => t - (stamps[i] as number)).filter((g) => g > 0).sort((a, b) => a - b)
  const cap = 2 * (gaps[gaps.length >> 1] ?? 1000)
  const self = new Map<string, number>()
  const packages = new Map<string, number>()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] as number)
    if (!node) continue
    const us = Math.min((stamps[i + 1] ?? profile.endTime) - (stamps[i] as number), cap)
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') continue
    total += us
    const module = url ? moduleOf(lineNumber, url) : functionName
    const key = `${(functionName || '(anonymous)').slice(0, 60)}  ${module.slice(0, 60)}:${lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + us)
    const pkg = (url ? packageOf(module) : functionName).slice(0, 60)
    packages.set(pkg, (packages.get(pkg) ?? 0) + us)
  }
  const share = (m: Map<string, number>): [string, number][] =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, total ? v / total : 0])
  return { busyMs: total / 1000, packages: share(packages), functions: share(self) }
}

export function formatSummary(summary: Summary, top: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`
  return [
    `busy ${summary.busyMs.toFixed(1)} ms in samples`,
    '',
    'by package or directory (self time):',
    ...summary.packages.slice(0, 20).map(([k, v]) => `  ${pct(v)}  ${k}`),
    '',
    'by function (self time):',
    ...summary.functions.slice(0, top).map(([k, v]) => `  ${pct(v)}  ${k}`),
  ].join('\n')
}

export type ProfileMode = 'cached' | 'render' | 'first' | 'cold' | 'startup' | 'build'

export interface ProfileOptions {
  /** P1: the cached page to load; P2: the post to render. */
  path?: string
  /** P2: bare, markdown or page. */
  what?: string
  seconds?: number
  /** Which Worker of the workerd config to profile. */
  worker?: string
  /** P4: how many generated posts to build. */
  posts?: number
  /** The corpus of a cold profile: C10000 (the default) or C100. */
  corpus?: string
  /** P3's profile: `cold` (the default: every request reads KV and parses) or `warm` (the isolate keeps what it read). */
  l1?: string
}

export interface Corpora {
  c100big: Corpus
  dirs: Record<string, string>
}

/** Writes the post's render where the benchmark's KV finds it, as the publisher keeps it; returns the file. */
async function writeKeptRender(dirs: Record<string, string>, path: string): Promise<string> {
  const server = await startWorkerd('bench', dirs)
  try {
    const { file, value } = await keptRender(server, dirs, path)
    writeFileSync(file, value)
    return file
  } finally {
    await server.stop()
  }
}

/** Takes one profile; writes it to bench/results/profile-<name>.cpuprofile for DevTools. */
export async function takeProfile(mode: ProfileMode, corpora: Corpora, options: ProfileOptions = {}): Promise<{ summary: Summary; file: string }> {
  const seconds = options.seconds ?? 5
  const what = options.what ?? 'page'
  let profile: CpuProfile
  let bundleFile: string | null
  if (mode === 'build') {
    const dir = join(RESULTS, 'build-profile')
    const run = spawnSync(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-name=build.cpuprofile', '--import', 'tsx', join(ROOT, 'bench', 'build-once.ts'), '--posts', String(options.posts ?? 2000)],
      { cwd: ROOT, encoding: 'utf8' },
    )
    if (run.status !== 0) throw new Error(`the build failed:\n${run.stderr}`)
    profile = JSON.parse(readFileSync(join(dir, 'build.cpuprofile'), 'utf8')) as CpuProfile
    bundleFile = null
  } else if (mode === 'startup') {
    // wrangler bundles the Worker the same way as `deploy --dry-run`, so its lines map the same.
    const outfile = join(RESULTS, 'startup.cpuprofile')
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['check', 'startup', '--outfile', outfile], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    })
    if (run.status !== 0) throw new Error(`wrangler check startup failed:\n${run.stderr}`)
    profile = JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile
    bundleFile = join(BUNDLE_DIR, 'worker.js')
  } else if (mode === 'cached') {
    const path = options.path ?? middlePost(corpora.c100big.build).path
    bundleFile = join(BUNDLE_DIR, 'worker.js')
    profile = await withInspector(
      'quire',
      { kv: corpora.c100big.kvDir },
      options.worker ?? 'main',
      // The first request renders and caches the page; only hits are profiled.
      async (server) => {
        for (let i = 0; i < 2; i++) await (await fetch(server.url + path)).arrayBuffer()
        wrk(server.url + path, 2, 16)
      },
      async (server) => {
        wrk(server.url + path, seconds, 16)
      },
    )
  } else if (mode === 'cold') {
    // P3's cold requests (every KV read, every parse) through the whole Worker, at 10,000 posts (or
    // C100); or its warm ones, with `--l1 warm`.
    const path = encodeURIComponent(options.path ?? '/search?q=django')
    const l1 = options.l1 ?? 'cold'
    if (l1 !== 'cold' && l1 !== 'warm') throw new Error(`--l1 is cold or warm, not "${l1}"`)
    const latency = (server: Server) => fetch(`${server.url}/latency?corpus=${options.corpus ?? 'C10000'}&l1=${l1}&n=20&path=${path}`).then((res) => res.arrayBuffer())
    bundleFile = join(BENCH_BUNDLE_DIR, 'bench.js')
    profile = await withInspector('bench', corpora.dirs, options.worker ?? 'main', async (server) => void (await latency(server)), async (server) => {
      const until = Date.now() + seconds * 1000
      while (Date.now() < until) await latency(server)
    })
  } else {
    const path = encodeURIComponent(options.path ?? BIG_POST_PATH)
    bundleFile = join(BENCH_BUNDLE_DIR, 'bench.js')
    // A first page made from a kept render needs that render in KV, as P2 writes it, before the
    // fresh isolate starts; another process renders it, so the profiled one has compiled nothing.
    const keptFile = mode === 'first' && readsKeptRender(what) ? await writeKeptRender(corpora.dirs, path) : null
    try {
      profile = await withInspector(
        'bench',
        corpora.dirs,
        options.worker ?? 'main',
        async (server) => {
          if (mode === 'first') await (await fetch(`${server.url}/prepare?what=${what}&path=${path}`)).arrayBuffer()
          else await (await fetch(`${server.url}/render?what=${what}&path=${path}&n=20`)).arrayBuffer()
        },
        async (server) => {
          if (mode === 'first') {
            await (await fetch(`${server.url}/first?what=${what}&path=${path}`)).arrayBuffer()
            return
          }
          const until = Date.now() + seconds * 1000
          while (Date.now() < until) await (await fetch(`${server.url}/render?what=${what}&path=${path}&n=20`)).arrayBuffer()
        },
      )
    } finally {
      if (keptFile) rmSync(keptFile, { force: true })
    }
  }
  const name = mode === 'render' || mode === 'first' ? `${mode}-${what}` : options.worker && options.worker !== 'main' ? `${mode}-${options.worker}` : mode
  const file = join(RESULTS, `profile-${name}.cpuprofile`)
  writeFileSync(file, JSON.stringify(profile))
  return { summary: summarise(profile, bundleFile), file }
}

