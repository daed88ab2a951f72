import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { cpuUntilListening, ROOT } from './lib/procs'
import { markdownTable, type Section } from './lib/report'
import { fmt, median } from './lib/stats'

// P5: what Cloudflare uploads and how long the isolate takes to start. Goals: ≤ 100 KiB gzip,
// ≤ 25 ms start-up CPU.

const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler')
export const BUNDLE_DIR = join(ROOT, 'bench', 'results', 'bundle')
export const BENCH_BUNDLE_DIR = join(ROOT, 'bench', 'results', 'bench-worker')
const GOAL_GZIP_KIB = 100
const GOAL_STARTUP_MS = 25

function wrangler(args: string[]): string {
  const out = spawnSync(WRANGLER, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
  })
  if (out.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${out.stdout}\n${out.stderr}`)
  return `${out.stdout}\n${out.stderr}`
}

export interface BundleSize {
  rawKiB: number
  gzipKiB: number
  /** Our own count of the same files, as a cross-check of wrangler's. */
  ownRawKiB: number
  ownGzipKiB: number
}

/** Bundles Quire as `wrangler deploy` would, and the measuring Worker with the same bundler. */
export function bundle(): BundleSize {
  const printed = wrangler(['deploy', '--dry-run', '--outdir', BUNDLE_DIR])
  const total = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(printed)
  if (!total) throw new Error(`wrangler printed no upload size:\n${printed}`)
  wrangler(['deploy', '--dry-run', '-c', join(ROOT, 'bench', 'workers', 'wrangler.jsonc'), '--outdir', BENCH_BUNDLE_DIR])
  const modules = readdirSync(BUNDLE_DIR).filter((f) => /\.(m?js|wasm)$/.test(f))
  const bytes = modules.map((f) => readFileSync(join(BUNDLE_DIR, f)))
  return {
    rawKiB: Number(total[1]),
    gzipKiB: Number(total[2]),
    ownRawKiB: bytes.reduce((s, b) => s + b.length, 0) / 1024,
    ownGzipKiB: bytes.reduce((s, b) => s + gzipSync(b).length, 0) / 1024,
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/**
 * CPU time in a start-up profile: the non-idle samples, each lasting until the next one
 * (DevTools' convention) but no longer than two sampling intervals, because the profiler takes no
 * samples while the isolate waits, and a long gap after the last sample is waiting, not work.
 * Returns ms.
 */
export function profileCpuMs(profile: CpuProfile): number {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]))
  let at = profile.startTime
  const stamps = profile.timeDeltas.map((d) => (at += d))
  const gaps = stamps.slice(1).map((t, i) => t - (stamps[i] as number))
  const cap = 2 * median(gaps.filter((g) => g > 0))
  let busy = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const next = stamps[i + 1] ?? profile.endTime
    if (names.get(profile.samples[i] as number) !== '(idle)') busy += Math.min(next - (stamps[i] as number), cap)
  }
  return busy / 1000
}

/** `wrangler check startup` profiles the bundle's start in workerd on this machine, offline. */
function startupMs(rounds: number): { runs: number[]; error?: string } {
  const runs: number[] = []
  const outfile = join(ROOT, 'bench', 'results', 'startup.cpuprofile')
  try {
    for (let i = 0; i < rounds; i++) {
      wrangler(['check', 'startup', '--outfile', outfile])
      runs.push(profileCpuMs(JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile))
    }
    return { runs }
  } catch (error) {
    return { runs, error: String((error as Error).message).split('\n')[0] }
  }
}

/** workerd's CPU before it listens, with Quire's bundle minus with hello world's, alternating. */
async function workerdStartup(rounds: number, kvDir: string): Promise<{ quire: number[]; hello: number[] }> {
  const quire: number[] = []
  const hello: number[] = []
  for (let i = 0; i < rounds; i++) {
    hello.push(await cpuUntilListening('hello'))
    quire.push(await cpuUntilListening('startup', { kv: kvDir }))
  }
  return { quire, hello }
}

export async function p5(size: BundleSize, rounds: number, kvDir: string): Promise<Section> {
  const startup = startupMs(rounds)
  const startMs = median(startup.runs)
  const workerd = await workerdStartup(rounds * 3, kvDir)
  const workerdMs = median(workerd.quire.map((q, i) => q - (workerd.hello[i] as number)))
  const entry = statSync(join(BUNDLE_DIR, 'worker.js')).size / 1024
  return {
    title: 'P5 — bundle size and start-up',
    rows: [
      { id: 'P5', measure: 'bundle, gzip (raw)', result: `${fmt(size.gzipKiB)} KiB (${fmt(size.rawKiB)} KiB)`, goal: `≤ ${GOAL_GZIP_KIB} KiB gzip`, met: size.gzipKiB <= GOAL_GZIP_KIB },
      {
        id: 'P5',
        measure: 'start-up CPU (wrangler check startup)',
        result: startup.runs.length ? `${fmt(startMs)} ms` : `failed: ${startup.error}`,
        goal: `≤ ${GOAL_STARTUP_MS} ms`,
        met: startup.runs.length ? startMs <= GOAL_STARTUP_MS : null,
      },
      {
        id: 'P5',
        measure: '  same, workerd CPU until listening, Quire − hello world',
        result: `${fmt(workerdMs)} ms`,
        goal: `≤ ${GOAL_STARTUP_MS} ms`,
        met: workerdMs <= GOAL_STARTUP_MS,
      },
    ],
    details: [
      '`wrangler deploy --dry-run --outdir bench/results/bundle` reports the upload; our own gzip of the same modules is a cross-check.',
      '',
      ...markdownTable(
        ['', 'raw', 'gzip'],
        [
          ['wrangler\'s "Total Upload"', `${fmt(size.rawKiB)} KiB`, `${fmt(size.gzipKiB)} KiB`],
          ['bench/results/bundle/*.js, zlib level 6', `${fmt(size.ownRawKiB)} KiB`, `${fmt(size.ownGzipKiB)} KiB`],
        ],
      ),
      '',
      `Start-up, two ways. \`wrangler check startup\` ${startup.runs.length} times: CPU = the non-idle samples of its profile, each lasting until the next but at most two sampling intervals (the profiler does not sample while the isolate waits). Runs: ${startup.runs.map((r) => `${fmt(r)} ms`).join(', ') || 'none'}${startup.error ? ` (failed: ${startup.error})` : ''}. And workerd itself, ${workerd.quire.length} alternating starts each on core 0: the CPU time of all its threads from launch until its socket accepts a connection (config, compiling and running each Worker's top level), with Quire's bundle (bench/workerd/startup.capnp) minus with hello world's. Quire: ${workerd.quire.map((x) => fmt(x, 0)).join(', ')} ms; hello world: ${workerd.hello.map((x) => fmt(x, 0)).join(', ')} ms. The bundle's entry module is ${fmt(entry)} KiB, unminified.`,
    ],
  }
}
