import { parseArgs } from 'node:util'
import { prepareCorpus } from './lib/corpora'
import { formatSummary, type ProfileMode, takeProfile } from './lib/profiling'
import { stopAll } from './lib/procs'
import { benchDirs } from './p2-render'
import { bundle } from './p5-size'

// Where the time goes, one profile at a time:
//
//   node --experimental-websocket --import tsx bench/profile.ts cached [--path /]   P1: wrk on a cached page
//   node --experimental-websocket --import tsx bench/profile.ts render [--what page] P2: warm renders (bare, markdown, page)
//   node --experimental-websocket --import tsx bench/profile.ts first [--what page]  P2: the first render in a fresh isolate
//   node --experimental-websocket --import tsx bench/profile.ts cold [--path /search?q=django] [--corpus C100] [--l1 warm]  P3: cold (or warm) requests, 10,000 posts
//   node --import tsx bench/profile.ts startup                                        P5: `wrangler check startup`'s profile
//   node --import tsx bench/profile.ts build [--posts 2000]                           P4: the publisher's build, in Node
//
// Writes bench/results/profile-<name>.cpuprofile (open it in Chrome DevTools) and prints the top.

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    path: { type: 'string' },
    what: { type: 'string', default: 'page' },
    seconds: { type: 'string', default: '5' },
    worker: { type: 'string' },
    top: { type: 'string', default: '30' },
    posts: { type: 'string', default: '2000' },
    corpus: { type: 'string' },
    l1: { type: 'string' },
  },
})
const mode = (positionals[0] ?? 'render') as ProfileMode
if (!['cached', 'render', 'first', 'cold', 'startup', 'build'].includes(mode)) throw new Error(`unknown profile "${mode}"`)

try {
  if (mode !== 'build') bundle()
  const c100big = await prepareCorpus('c100-long', 100, { bigPost: true })
  const c100 = await prepareCorpus('c100', 100, { renders: true })
  const c10000 = mode === 'cold' ? await prepareCorpus('c10000', 10_000, { renders: true }) : c100
  const { summary, file } = await takeProfile(mode, { c100big, dirs: benchDirs(c100big, c100, c10000) }, {
    path: values.path,
    what: values.what,
    seconds: Number(values.seconds),
    worker: values.worker,
    posts: Number(values.posts),
    corpus: values.corpus,
    l1: values.l1,
  })
  process.stdout.write(`${formatSummary(summary, Number(values.top))}\n\nwrote ${file}\n`)
} finally {
  stopAll()
}
