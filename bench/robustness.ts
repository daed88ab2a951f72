import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { pathologicalInputs } from './generate'
import { type Corpora, type ProfileMode, type ProfileOptions, takeProfile } from './lib/profiling'
import { ROOT } from './lib/procs'
import { markdownTable, type Section } from './lib/report'
import { fmt } from './lib/stats'

// Peak heap while rendering the largest post, the inputs known to be slow for Markdown parsers, and
// CPU profiles of the measures that miss their goals.

const TIMEOUT_MS = 20_000
/** What the renderer may spend on one hostile post before a reader notices. */
const SLOW_MS = 1_000

interface Heap {
  before: number
  peak: number
  collections: number
  bytes: number
}

export function memory(): Section {
  const out = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=256', '--import', 'tsx', join(ROOT, 'bench', 'memory-child.ts')], { cwd: ROOT, encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`bench/memory-child.ts failed:\n${out.stderr}`)
  const { first, warm } = JSON.parse(out.stdout) as { first: Heap; warm: Heap }
  const mib = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MiB`
  const clean = first.collections === 0 && warm.collections === 0
  return {
    title: 'Memory — peak heap while rendering the largest post',
    rows: [
      {
        id: 'Mem',
        measure: 'peak heap rendering the long post page (growth during the render)',
        result: `${mib(first.peak)} first, ${mib(warm.peak)} warm (+${mib(first.peak - first.before)}, +${mib(warm.peak - warm.before)})`,
        goal: 'no goal; the isolate limit is 128 MiB',
        met: null,
      },
    ],
    details: [
      `Node's V8 (workerd shows a Worker no heap figures): bench/memory-child.ts renders the whole page of the 5,000-word post (${fmt(first.bytes / 1024, 1)} KiB of HTML) with \`--max-semi-space-size=256\`, so that no collection runs during a render and the heap right after it is its peak. Collections during the measured renders: ${first.collections} and ${warm.collections}${clean ? '' : ' — so the peak is a lower bound'}. The baseline (${mib(warm.before)} after a full collection) is the modules, the corpus and the isolate's caches.`,
    ],
  }
}

export function pathological(): Section {
  const rows: string[][] = []
  let worst = { name: '', ms: 0 }
  const failures: string[] = []
  type Timed = { ms: number; error?: string } | { stopped: string }
  const run = (name: string, which: 'bare' | 'quire'): Timed => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'pathological-child.ts'), name, which], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      killSignal: 'SIGKILL',
    })
    if (out.status === 0) return JSON.parse(out.stdout) as { ms: number; error?: string }
    return { stopped: out.signal ? `stopped after ${TIMEOUT_MS / 1000} s` : `crashed: ${out.stderr.trim().split('\n').pop()}` }
  }
  const cell = (t: Timed) => ('stopped' in t ? t.stopped : t.error ? `${fmt(t.ms, 0)} ms, threw ${t.error}` : `${fmt(t.ms, 1)} ms`)
  for (const input of pathologicalInputs()) {
    const bare = run(input.name, 'bare')
    const quire = run(input.name, 'quire')
    rows.push([input.name, fmt(input.markdown.length / 1024, 1), cell(bare), cell(quire)])
    if ('stopped' in quire || quire.error) failures.push(input.name)
    else if (quire.ms > worst.ms) worst = { name: input.name, ms: quire.ms }
  }
  return {
    title: 'Pathological Markdown',
    rows: [
      {
        id: 'Path',
        measure: 'slowest pathological input, Quire renderMarkdown',
        result: `${fmt(worst.ms, 0)} ms (${worst.name})${failures.length ? `; failed: ${failures.join(', ')}` : ''}`,
        goal: `no goal; under ${fmt(SLOW_MS, 0)} ms, none failing`,
        met: null,
      },
    ],
    details: [
      `Each input (bench/generate.ts, after commonmark.js's pathological tests) rendered once by bare \`marked.parse\` and once by \`renderMarkdown\`, each in a fresh Node process of its own (first render each, so compilation is included); a process is stopped after ${TIMEOUT_MS / 1000} s.`,
      '',
      ...markdownTable(['input', 'KiB', 'bare marked.parse', 'Quire renderMarkdown'], rows),
    ],
  }
}

const PROFILES: { mode: ProfileMode; options: ProfileOptions; what: string }[] = [
  { mode: 'cached', options: { seconds: 5 }, what: 'P1: a cached typical post under wrk (the Quire Worker\'s isolate)' },
  { mode: 'cached', options: { seconds: 5, worker: 'cache' }, what: 'P1: the same load, in the in-memory Cache API worker (bench/workerd/cache.js), which shares the core' },
  { mode: 'render', options: { what: 'render', seconds: 5 }, what: 'P2: the long post\'s whole page, Markdown rendered, warm' },
  { mode: 'first', options: { what: 'render' }, what: 'P2: the long post\'s whole page, Markdown rendered, first in a fresh isolate' },
  { mode: 'startup', options: {}, what: 'P5: start-up (`wrangler check startup`)' },
  { mode: 'build', options: { posts: 2000 }, what: 'P4: the publisher\'s build of 2,000 generated posts, in Node' },
]

/** The top of a CPU profile of each measure that misses: where to look first. */
export async function profiles(corpora: Corpora): Promise<Section> {
  const details: string[] = [
    'Self time by package (or Quire directory), and the costliest functions, from one profile each: workerd\'s inspector sampling every 100 µs for the Worker, `wrangler check startup` for start-up, `node --cpu-prof` for the build. Profiling slows what it measures; read shares, not times. The profiles are in bench/results/profile-*.cpuprofile for Chrome DevTools; `bench/profile.ts` takes one at a time.',
    '',
  ]
  const pct = (x: number) => `${fmt(100 * x, 1)}%`
  for (const p of PROFILES) {
    try {
      const { summary } = await takeProfile(p.mode, corpora, p.options)
      if (summary.busyMs === 0) {
        details.push(`**${p.what}**: no samples; it did no work under this load.`, '')
        continue
      }
      details.push(
        `**${p.what}** (${fmt(summary.busyMs, 0)} ms busy in samples)`,
        '',
        ...markdownTable(
          ['package or directory', 'self', 'function', 'self'],
          Array.from({ length: 8 }, (_, i) => {
            const pkg = summary.packages[i]
            const fn = summary.functions[i]
            return [pkg ? `\`${pkg[0]}\`` : '', pkg ? pct(pkg[1]) : '', fn ? `\`${fn[0].replace(/\|/g, '\\|')}\`` : '', fn ? pct(fn[1]) : '']
          }),
        ),
        '',
      )
    } catch (error) {
      details.push(`**${p.what}**: the profile failed (${String((error as Error).message).split('\n')[0]}).`, '')
    }
  }
  return { title: 'Where the time goes', rows: [], details }
}
