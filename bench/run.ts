import { readFileSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { p1 } from './p1-cached'
import { benchDirs, p2 } from './p2-render'
import { p3 } from './p3-scale'
import { p4 } from './p4-build'
import { bundle, p5 } from './p5-size'
import { memory, pathological, profiles } from './robustness'
import { prepareCorpus, RESULTS } from './lib/corpora'
import { canPin, has, ROOT, startWorkerd, stopAll } from './lib/procs'
import { consoleTable, machine, machineLines, type Section, summaryLines, writeBenchmarksMd } from './lib/report'

// `npm run bench`: every measure of issue 7 in one run, a table on the terminal, and BENCHMARKS.md.
//
// Prerequisites, installed once as root and never in CI:
//   apt-get update && apt-get install -y wrk hugo
// (wrk is required; without hugo, P4 says so and has no ratio.) Needs the two cores of the machine
// (server on core 0, load on core 1, with taskset) and no network.
//
//   npm run bench                    everything; writes BENCHMARKS.md
//   npm run bench -- --quick         fewer and shorter rounds; writes bench/results/ only
//   npm run bench -- --only p1,p2    some of p1 p2 p3 p4 p5 mem path prof; writes bench/results/ only
//
// Benchmarks never run in `npm test`.

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
})
const ALL = ['p5', 'p1', 'p2', 'p3', 'p4', 'mem', 'path', 'prof']
const only = values.only ? values.only.split(',').map((s) => s.trim().toLowerCase()) : ALL
for (const name of only) if (!ALL.includes(name)) throw new Error(`unknown benchmark "${name}": choose from ${ALL.join(', ')}`)
const want = (name: string) => only.includes(name)
const full = !values.quick && only.length === ALL.length
const quick = values.quick

const COMMAND = 'npm run bench'
const POSTS_P4 = 10_000

function checkPrerequisites(): void {
  if (want('p1') && !has('wrk')) throw new Error('wrk is missing: as root, `apt-get update && apt-get install -y wrk hugo`')
  if (!has('hugo')) console.warn('hugo is missing (`apt-get install -y hugo`): P4 will have no ratio')
  if (!canPin) console.warn('taskset is missing: the server and wrk will share cores')
  // The workerd configs name the compatibility date that wrangler.jsonc deploys with.
  const date = /"compatibility_date":\s*"([\d-]+)"/.exec(readFileSync(join(ROOT, 'wrangler.jsonc'), 'utf8'))?.[1]
  for (const config of ['hello', 'quire', 'bench', 'startup']) {
    const text = readFileSync(join(ROOT, 'bench', 'workerd', `${config}.capnp`), 'utf8')
    if (date && !text.includes(`compatibilityDate = "${date}"`)) {
      throw new Error(`bench/workerd/${config}.capnp has another compatibility date than wrangler.jsonc (${date}): update it`)
    }
  }
}

async function main(): Promise<void> {
  checkPrerequisites()
  await mkdir(RESULTS, { recursive: true })
  const started = new Date()
  const sections: Section[] = []
  const step = (text: string) => process.stdout.write(`\n== ${text}\n`)

  step('bundling Quire and the measuring Worker with wrangler')
  const size = bundle()

  step('building the corpora (100 posts plus the long post; 100; 10,000)')
  const c100big = await prepareCorpus('c100-long', 100, { bigPost: true })
  const c100 = await prepareCorpus('c100', 100, { renders: true })
  const c10000 = await prepareCorpus('c10000', 10_000, { renders: true })

  if (want('p5')) {
    step('P5 bundle size and start-up')
    sections.push(await p5(size, quick ? 2 : 5, c100.kvDir))
  }
  if (want('p1')) {
    step('P1 cached pages against hello world')
    sections.push(await p1(c100big, quick ? { rounds: 3, seconds: 3, connections: 16 } : { rounds: 7, seconds: 5, connections: 16 }))
  }
  if (want('p2') || want('p3')) {
    const dirs = benchDirs(c100big, c100, c10000)
    const bench = await startWorkerd('bench', dirs)
    try {
      if (want('p2')) {
        step('P2 rendering the long post')
        sections.push(await p2(dirs, bench, quick ? { rounds: 5, perSample: 10, freshIsolates: 3 } : { rounds: 15, perSample: 20, freshIsolates: 7 }))
      }
      if (want('p3')) {
        step('P3 10,000 posts against 100')
        sections.push(await p3(c100, c10000, bench, quick ? { rounds: 3, perSample: 5 } : { rounds: 30, perSample: 20 }))
      }
    } finally {
      await bench.stop()
    }
  }
  if (want('p4')) {
    step('P4 building 10,000 posts, against hugo')
    sections.push(await p4(c10000.build, { count: POSTS_P4, rounds: quick ? 1 : 3, cliCount: quick ? 0 : 1000 }))
  }
  if (want('mem')) {
    step('Memory')
    sections.push(memory())
  }
  if (want('path')) {
    step('Pathological Markdown')
    sections.push(pathological())
  }
  if (want('prof')) {
    step('Where the time goes: CPU profiles')
    sections.push(await profiles({ c100big, dirs: benchDirs(c100big, c100, c10000) }))
  }

  const rows = sections.flatMap((s) => s.rows)
  const m = machine(canPin)
  const date = started.toISOString().slice(0, 16).replace('T', ' ')
  process.stdout.write(`\n${consoleTable(rows)}\n\n`)

  const generated = [
    `Measured on ${date} UTC by \`${quick || !full ? `${COMMAND} -- ${process.argv.slice(2).join(' ')}` : COMMAND}\` on:`,
    '',
    ...machineLines(m),
    '',
    '## Summary',
    '',
    ...summaryLines(rows),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', ...s.details, '']),
  ]
  writeFileSync(join(RESULTS, 'last.md'), `${generated.join('\n')}\n`)
  writeFileSync(join(RESULTS, 'last.json'), `${JSON.stringify({ date: started.toISOString(), machine: m, rows }, null, 2)}\n`)
  if (full) {
    const file = await writeBenchmarksMd(generated)
    process.stdout.write(`wrote ${file}\n`)
  } else {
    process.stdout.write('a partial or quick run: wrote bench/results/last.md, left BENCHMARKS.md as it was\n')
  }
}

process.on('SIGINT', () => {
  stopAll()
  process.exit(130)
})
try {
  await main()
} finally {
  stopAll()
}
