import { BIG_POST_PATH, type Corpus, middlePost } from './lib/corpora'
import { cpuMs, startWorkerd, wrk } from './lib/procs'
import { markdownTable, type Section } from './lib/report'
import { fmt, median, pairedRatio } from './lib/stats'

// P1: requests per second for a page the edge cache already holds, divided by a hello-world
// Worker's, both served by workerd directly on one core with wrk on the other. Goal ≥ 0.9.

const GOAL = 0.9

export interface P1Options {
  rounds: number
  seconds: number
  connections: number
}

export async function p1(corpus: Corpus, options: P1Options): Promise<Section> {
  const hello = await startWorkerd('hello')
  const quire = await startWorkerd('quire', { kv: corpus.kvDir })
  try {
    const pages = [
      { name: 'home page', path: '/' },
      { name: 'typical post', path: middlePost(corpus.build).path },
      { name: 'long post', path: BIG_POST_PATH },
    ]
    const sizes = new Map<string, number>()
    for (const page of pages) {
      // The first request renders and stores the page; the second must come from the edge cache.
      await (await fetch(quire.url + page.path)).arrayBuffer()
      const res = await fetch(quire.url + page.path)
      sizes.set(page.name, (await res.arrayBuffer()).byteLength)
      const timing = res.headers.get('server-timing') ?? ''
      if (res.status !== 200 || !timing.includes('"hit"')) {
        throw new Error(`${page.path} is not a cache hit (status ${res.status}, server-timing "${timing}")`)
      }
    }
    const targets = [
      { name: 'hello world', url: `${hello.url}/`, pid: hello.pid },
      ...pages.map((p) => ({ name: p.name, url: quire.url + p.path, pid: quire.pid })),
    ]
    for (const t of targets) wrk(t.url, 2, options.connections)

    const rps = new Map<string, number[]>(targets.map((t) => [t.name, []]))
    // CPU the server spent per request: steadier than requests per second on a shared machine,
    // because other processes' load slows the clock but not the work a request takes.
    const cpuPerRequest = new Map<string, number[]>(targets.map((t) => [t.name, []]))
    let failures = 0
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order, so that no target always runs first or right after another.
      const order = targets.map((_, i) => targets[(i + round) % targets.length] as (typeof targets)[number])
      for (const t of order) {
        const cpuBefore = cpuMs(t.pid)
        const result = wrk(t.url, options.seconds, options.connections)
        const cpu = cpuMs(t.pid) - cpuBefore
        failures += result.non2xx + result.errors
        rps.get(t.name)?.push(result.rps)
        cpuPerRequest.get(t.name)?.push((cpu * 1000) / result.requests)
      }
      process.stdout.write(`  P1 round ${round + 1}/${options.rounds}\n`)
    }
    const helloRps = rps.get('hello world') ?? []
    const helloCpu = cpuPerRequest.get('hello world') ?? []
    const ratios = pages.map((p) => ({
      name: p.name,
      ratio: pairedRatio(rps.get(p.name) ?? [], helloRps),
      rps: median(rps.get(p.name) ?? []),
      // hello's CPU per request ÷ the page's: the req/s ratio a core spent only on this would give.
      cpuRatio: pairedRatio(helloCpu, cpuPerRequest.get(p.name) ?? []),
      cpu: median(cpuPerRequest.get(p.name) ?? []),
    }))
    return {
      title: 'P1 — cached page vs hello world',
      rows: ratios.flatMap((r) => [
        {
          id: 'P1',
          measure: `cached ${r.name} ÷ hello world, req/s`,
          result: `${fmt(r.ratio)} (${fmt(r.rps)} vs ${fmt(median(helloRps))} req/s)`,
          goal: `≥ ${GOAL}`,
          met: r.ratio >= GOAL,
        },
        {
          id: 'P1',
          measure: `  same, by server CPU per request`,
          result: `${fmt(r.cpuRatio)} (${fmt(r.cpu, 0)} vs ${fmt(median(helloCpu), 0)} µs)`,
          goal: `≥ ${GOAL}`,
          met: r.cpuRatio >= GOAL,
        },
      ]),
      details: [
        `Quire's production bundle and a hello-world Worker, each in \`workerd serve\` (bench/workerd/quire.capnp, hello.capnp) on core 0; \`wrk -t1 -c${options.connections} -d${options.seconds}s\` on core 1. ${options.rounds} rounds, the targets in rotating order; a ratio is the median of each round's page ÷ that round's hello world. The Cache API is bench/workerd/cache.js, an in-memory cache in the same workerd process, so its work is on the server's core too. Every page was checked to be a cache hit (\`Server-Timing: cache;desc="hit"\`) before the rounds; wrk saw ${failures} non-2xx responses or socket errors. Server CPU per request is the workerd process's user + system time (from /proc, 10 ms ticks) over a round, divided by the requests wrk completed; its ratio is hello world's ÷ the page's, i.e. the req/s ratio one fully busy core would give.`,
        '',
        ...markdownTable(
          ['target', 'body', 'req/s in each round', 'median req/s', '÷ hello world', 'server CPU µs/request, each round', 'median µs', 'hello ÷ this'],
          targets.map((t) => {
            const r = rps.get(t.name) ?? []
            const c = cpuPerRequest.get(t.name) ?? []
            const ratio = ratios.find((x) => x.name === t.name)
            return [
              t.name,
              t.name === 'hello world' ? '12 B' : `${fmt((sizes.get(t.name) ?? 0) / 1024, 1)} KiB`,
              r.map((x) => fmt(x, 0)).join(', '),
              fmt(median(r), 0),
              ratio ? fmt(ratio.ratio) : '1',
              c.map((x) => fmt(x, 0)).join(', '),
              fmt(median(c), 0),
              ratio ? fmt(ratio.cpuRatio) : '1',
            ]
          }),
        ),
      ],
    }
  } finally {
    await quire.stop()
    await hello.stop()
  }
}
