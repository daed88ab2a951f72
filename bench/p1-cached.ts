import { BIG_POST_PATH, type Corpus, middlePost } from './lib/corpora'
import { cpuMs, startWorkerd, wrk } from './lib/procs'
import { markdownTable, type Section } from './lib/report'
import { fmt, median, pairedRatio } from './lib/stats'

// P1: requests per second for a page the edge cache already holds, divided by a hello-world
// Worker's, both served by workerd directly on one core with wrk on the other. Goal ≥ 0.9.
// Beside it, the same page against hello world answering a constant body of the page's size:
// what is left of that gap is Quire's code, the rest is the bytes.

const GOAL = 0.9

const sameSize = (page: string) => `hello world, as large as the ${page}`
const sameHeaders = (page: string) => `hello world, as large as the ${page} and with its headers`

/** Headers the HTTP layer writes, not the Worker. */
const TRANSPORT_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']
const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`

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
    const headerCounts = new Map<string, number>()
    for (const page of pages) {
      // The first request renders and stores the page; the second must come from the edge cache.
      await (await fetch(quire.url + page.path)).arrayBuffer()
      const res = await fetch(quire.url + page.path)
      sizes.set(page.name, (await res.arrayBuffer()).byteLength)
      const timing = res.headers.get('server-timing') ?? ''
      if (res.status !== 200 || !timing.includes('"hit"')) {
        throw new Error(`${page.path} is not a cache hit (status ${res.status}, server-timing "${timing}")`)
      }
      // The third ceiling sends the headers this hit sent.
      const sent = [...res.headers].filter(([name]) => !TRANSPORT_HEADERS.includes(name))
      headerCounts.set(page.name, sent.length)
      const ceiling = await fetch(`${hello.url}/bytes/${sizes.get(page.name)}/headers`, { method: 'POST', body: JSON.stringify(sent) })
      if (ceiling.status !== 204) throw new Error(`hello world did not take the ${page.name}'s headers (${ceiling.status})`)
    }
    // The same-size ceilings: hello world answering with a constant body as large as each page.
    const targets = [
      { name: 'hello world', url: `${hello.url}/`, pid: hello.pid, bytes: 12 },
      ...pages.flatMap((p) => {
        const bytes = sizes.get(p.name) ?? 0
        return [
          { name: p.name, url: quire.url + p.path, pid: quire.pid, bytes },
          { name: sameSize(p.name), url: `${hello.url}/bytes/${bytes}`, pid: hello.pid, bytes },
          { name: sameHeaders(p.name), url: `${hello.url}/bytes/${bytes}/headers`, pid: hello.pid, bytes },
        ]
      }),
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
    const rpsOf = (name: string) => rps.get(name) ?? []
    const cpuOf = (name: string) => cpuPerRequest.get(name) ?? []
    // a ÷ b by requests per second, and by CPU per request (b's ÷ a's: the req/s ratio one fully
    // busy core would give), each the median of paired rounds.
    const compare = (a: string, b: string) => ({
      ratio: pairedRatio(rpsOf(a), rpsOf(b)),
      cpuRatio: pairedRatio(cpuOf(b), cpuOf(a)),
    })
    const ratios = new Map(targets.filter((t) => t.name !== 'hello world').map((t) => [t.name, compare(t.name, 'hello world')]))
    const sameRatios = new Map(pages.map((p) => [p.name, compare(p.name, sameSize(p.name))]))
    const sameHeadersRatios = new Map(pages.map((p) => [p.name, compare(p.name, sameHeaders(p.name))]))
    const helloRps = median(rpsOf('hello world'))
    const helloCpu = median(cpuOf('hello world'))
    return {
      title: 'P1 — cached page vs hello world',
      rows: pages.flatMap((p) => {
        const r = ratios.get(p.name) ?? { ratio: Number.NaN, cpuRatio: Number.NaN }
        const same = sameRatios.get(p.name) ?? { ratio: Number.NaN, cpuRatio: Number.NaN }
        const ceiling = sameSize(p.name)
        const withHeaders = sameHeadersRatios.get(p.name) ?? { ratio: Number.NaN, cpuRatio: Number.NaN }
        return [
          {
            id: 'P1',
            measure: `cached ${p.name} ÷ hello world, req/s`,
            result: `${fmt(r.ratio)} (${fmt(median(rpsOf(p.name)))} vs ${fmt(helloRps)} req/s)`,
            goal: `≥ ${GOAL}`,
            met: r.ratio >= GOAL,
          },
          {
            id: 'P1',
            measure: `  same, by server CPU per request`,
            result: `${fmt(r.cpuRatio)} (${fmt(median(cpuOf(p.name)), 0)} vs ${fmt(helloCpu, 0)} µs)`,
            goal: `≥ ${GOAL}`,
            met: r.cpuRatio >= GOAL,
          },
          {
            id: 'P1',
            measure: `  same ÷ hello world of the same size (${kib(sizes.get(p.name) ?? 0)}), req/s; by CPU`,
            result: `${fmt(same.ratio)} (${fmt(median(rpsOf(p.name)))} vs ${fmt(median(rpsOf(ceiling)))} req/s); ${fmt(same.cpuRatio)} (${fmt(median(cpuOf(p.name)), 0)} vs ${fmt(median(cpuOf(ceiling)), 0)} µs)`,
            goal: '–',
            met: null,
          },
          {
            id: 'P1',
            measure: `  same ÷ that hello world sending the page's ${headerCounts.get(p.name) ?? 0} headers, req/s; by CPU`,
            result: `${fmt(withHeaders.ratio)} (${fmt(median(rpsOf(sameHeaders(p.name))))} req/s); ${fmt(withHeaders.cpuRatio)} (${fmt(median(cpuOf(sameHeaders(p.name))), 0)} µs)`,
            goal: '–',
            met: null,
          },
        ]
      }),
      details: [
        `Quire's production bundle and a hello-world Worker, each in \`workerd serve\` (bench/workerd/quire.capnp, hello.capnp) on core 0; \`wrk -t1 -c${options.connections} -d${options.seconds}s\` on core 1. ${options.rounds} rounds, the targets in rotating order; a ratio is the median of each round's page ÷ that round's hello world. The Cache API is bench/workerd/cache.js, an in-memory cache in the same workerd process, so its work is on the server's core too. Every page was checked to be a cache hit (\`Server-Timing: cache;desc="hit"\`) before the rounds; wrk saw ${failures} non-2xx responses or socket errors. Server CPU per request is the workerd process's user + system time (from /proc, 10 ms ticks) over a round, divided by the requests wrk completed; its ratio is hello world's ÷ the page's, i.e. the req/s ratio one fully busy core would give. The same-size ceilings are the hello-world Worker answering \`/bytes/N\` with a constant body of N bytes, as large as the page's body, prepared once (bench/workerd/hello.js), with two headers; and the same body sent with the headers the page's hit sent (\`/bytes/N/headers\`). So hello world ÷ the first ceiling is what the bytes cost, the first ceiling ÷ the second what the page's headers cost (the security headers, the ETag, Cache-Control, Cache-Tag, Server-Timing), and the second ceiling ÷ the page what Quire's code costs on a hit.`,
        '',
        ...markdownTable(
          ['target', 'body', 'req/s in each round', 'median req/s', '÷ hello world', '÷ same size', '÷ same size and headers', 'server CPU µs/request, each round', 'median µs', 'hello ÷ this', 'same size ÷ this', 'same size and headers ÷ this'],
          targets.map((t) => {
            const r = rpsOf(t.name)
            const c = cpuOf(t.name)
            const ratio = ratios.get(t.name)
            const same = sameRatios.get(t.name)
            const withHeaders = sameHeadersRatios.get(t.name)
            return [
              t.name,
              t.bytes < 1024 ? `${t.bytes} B` : kib(t.bytes),
              r.map((x) => fmt(x, 0)).join(', '),
              fmt(median(r), 0),
              ratio ? fmt(ratio.ratio) : '1',
              same ? fmt(same.ratio) : '–',
              withHeaders ? fmt(withHeaders.ratio) : '–',
              c.map((x) => fmt(x, 0)).join(', '),
              fmt(median(c), 0),
              ratio ? fmt(ratio.cpuRatio) : '1',
              same ? fmt(same.cpuRatio) : '–',
              withHeaders ? fmt(withHeaders.cpuRatio) : '–',
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
