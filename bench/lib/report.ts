import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { cpus, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { ROOT, has } from './procs'

/** One line of the summary table: a measure, what this run printed, and its goal. */
export interface Row {
  id: string
  measure: string
  result: string
  goal: string
  /** null when the measure has no goal or could not be taken. */
  met: boolean | null
}

/** A benchmark's contribution: summary rows, and a section of details for BENCHMARKS.md. */
export interface Section {
  title: string
  rows: Row[]
  /** Markdown: how it was measured and every number behind the summary. */
  details: string[]
}

export function markdownTable(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
}

const metMark = (met: boolean | null): string => (met === null ? '–' : met ? 'yes' : '**no**')

/** The summary as a plain-text table for the terminal. */
export function consoleTable(rows: Row[]): string {
  const cells = [['', 'measure', 'result', 'goal', 'met'], ...rows.map((r) => [r.id, r.measure, r.result, r.goal, r.met === null ? '-' : r.met ? 'yes' : 'NO'])]
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length))) ?? []
  const line = (c: string[]) => c.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')
  return [line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n')
}

function version(command: string, args: string[]): string {
  if (!has(command)) return 'not installed'
  // Some tools (wrk) print their version and exit 1.
  const out = spawnSync(command, args, { encoding: 'utf8' })
  return `${out.stdout}${out.stderr}`.split('\n')[0]?.trim() || 'unknown'
}

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
  workerd: string
  wrangler: string
  marked: string
  hugo: string
  wrk: string
  pinned: boolean
}

export function machine(pinned: boolean): Machine {
  const pkg = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.version,
    workerd: version(join(ROOT, 'node_modules', 'workerd', 'bin', 'workerd'), ['--version']),
    wrangler: pkg('wrangler'),
    marked: pkg('marked'),
    hugo: version('hugo', ['version']),
    wrk: version('wrk', ['--version']).replace(/\s*\[.*$/, ''),
    pinned,
  }
}

const BEGIN = '<!-- bench:begin — written by `npm run bench`; edit outside these markers -->'
const END = '<!-- bench:end -->'

/** What BENCHMARKS.md holds the first time: the generated part, then sections people fill in. */
const FIRST_TEMPLATE = `# Benchmarks

${BEGIN}
${END}

## Lighthouse

(filled in by the theme work, issue 6)
`

/**
 * Writes the generated part of BENCHMARKS.md between its markers and leaves everything else (the
 * Lighthouse section, notes written by hand) exactly as it was.
 */
export async function writeBenchmarksMd(generated: string[]): Promise<string> {
  const file = join(ROOT, 'BENCHMARKS.md')
  const current = existsSync(file) ? readFileSync(file, 'utf8') : FIRST_TEMPLATE
  const start = current.indexOf(BEGIN)
  const end = current.indexOf(END)
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`BENCHMARKS.md has lost its markers (${BEGIN} … ${END}): put them back where the numbers go`)
  }
  const next = `${current.slice(0, start)}${BEGIN}\n${generated.join('\n')}\n${current.slice(end)}`
  await writeFile(file, next)
  return file
}

export function machineLines(m: Machine): string[] {
  return [
    `- CPU: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.os}`,
    `- Node ${m.node}; workerd ${m.workerd}; wrangler ${m.wrangler}; marked ${m.marked}`,
    `- hugo: ${m.hugo}; wrk: ${m.wrk}`,
    `- ${m.pinned ? 'Server pinned to core 0 and load generator to core 1 with taskset' : 'taskset missing: server and load generator were not pinned'}; the machine is shared, so every ratio is a median of alternating rounds.`,
  ]
}

export function summaryLines(rows: Row[]): string[] {
  return markdownTable(
    ['', 'measure', 'result', 'goal', 'met'],
    rows.map((r) => [r.id, r.measure, r.result, r.goal, metMark(r.met)]),
  )
}
