import { documentsOf, renderEntries } from '../src/cli/renders'
import { plural } from '../src/cli/output'
import { parseHead, pushHistory, replacedHead, serializeManifest } from '../src/cli/state'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { type Build, buildSite, type ContentFiles, type SourceFile } from '../src/build/build'
import { BUILT_AT, corpus } from './generate'
import { RESULTS } from './lib/corpora'
import { has, ROOT } from './lib/procs'
import { markdownTable, type Section } from './lib/report'
import { fmt, median, pairedRatio } from './lib/stats'

// P4: building 10,000 posts, against `hugo` building the same posts (goal ≤ 0.2×), and what one
// edited post costs to publish (goal: a handful of keys).

const GOAL_RATIO = 0.2
const GOAL_KEYS = 6
/** The `quire` command, as `npm run quire` and `npx quire` start it. */
const QUIRE = join(ROOT, 'src', 'cli', 'bin.mjs')

async function writeFiles(root: string, files: { path: string; text: string }[]): Promise<void> {
  const dirs = new Set(files.map((f) => dirname(join(root, f.path))))
  for (const dir of dirs) await mkdir(dir, { recursive: true })
  for (let i = 0; i < files.length; i += 256) {
    await Promise.all(files.slice(i, i + 256).map((f) => writeFile(join(root, f.path), f.text)))
  }
}

const HUGO_CONFIG = `baseURL: https://bench.example.com/
title: Bench Blog
languageCode: en
paginate: 7
uglyURLs: true
taxonomies:
  label: labels
permalinks:
  posts: /:year/:month/:filename
markup:
  highlight:
    noClasses: false
`

// As little theme as gives every post, label and list its page: Hugo renders every post's Markdown
// to HTML (with highlighting), where Quire's build only lexes it for snippets and reading time.
const HUGO_LAYOUTS: Record<string, string> = {
  'layouts/_default/single.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head><body><article><h1>{{ .Title }}</h1><p><time>{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} min read</p>{{ range .Params.labels }}<a href="/search/label/{{ . }}">{{ . }}</a> {{ end }}{{ .TableOfContents }}{{ .Content }}</article></body></html>\n',
  'layouts/_default/list.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head><body>{{ range (.Paginate .Pages).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}</body></html>\n',
}

function timedRun(command: string, args: string[]): { ms: number; stdout: string } {
  const started = process.hrtime.bigint()
  const out = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${out.stdout}\n${out.stderr}`)
  return { ms, stdout: out.stdout }
}

/** The post the harness edits: one from the middle of the blog's years. */
const middleOf = (files: ContentFiles): number => Math.floor(files.posts.length / 2)

/** The same corpus with one post's body changed: what an author does between two publishes. */
function editOne(files: ContentFiles, index = middleOf(files)): ContentFiles {
  const posts = files.posts.map((p, i) => (i === index ? { ...p, text: `${p.text}\nOne more sentence, added after publishing.\n` } : p))
  return { ...files, posts }
}

/**
 * The publisher itself (`quire publish --local`), when it exists: publish a corpus to a fresh local
 * store, edit one post, publish again, and read what the second publish says it uploaded.
 */
async function cliIncremental(count: number): Promise<{ newBlobs: number; bytes: string; renders: number; keys: number; keyBytes: string } | { error: string }> {
  if (!existsSync(QUIRE)) return { error: 'src/cli/bin.mjs does not exist yet' }
  const root = join(RESULTS, `cli-${count}`)
  const store = join(root, 'store')
  await rm(root, { recursive: true, force: true })
  const files = corpus(count)
  await writeFiles(root, [files.site, ...files.posts, ...files.pages])
  const publish = () =>
    spawnSync(process.execPath, [QUIRE, 'publish', '--local', '--persist-to', store, '--content', join(root, 'content')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    })
  const first = publish()
  if (first.status !== 0) return { error: `the first publish failed: ${first.stderr.trim().split('\n').pop()}` }
  const edited = editOne(files).posts[middleOf(files)] as SourceFile
  await writeFile(join(root, edited.path), edited.text)
  const second = publish()
  if (second.status !== 0) return { error: `the second publish failed: ${second.stderr.trim().split('\n').pop()}` }
  const printed = /new blobs:\s+(\d+)(?:\s+\(([^)]*)\))?/.exec(`${second.stdout}\n${second.stderr}`)
  const renders = /renders:\s+(\d+)/.exec(second.stdout)
  const written = /keys written: (\d+) \(([^)]*)\)/.exec(second.stdout)
  if (!printed || !renders || !written) return { error: 'could not read "new blobs", "renders" and "keys written" in what publish printed' }
  return { newBlobs: Number(printed[1]), bytes: printed[2] ?? '', renders: Number(renders[1]), keys: Number(written[1]), keyBytes: written[2] ?? '' }
}

/** What publishing `edited` after `before` writes: the blobs `before` lacks, their renders, the manifest, the history and `head`. */
async function editCost(before: Build, edited: ContentFiles) {
  const after = await buildSite(edited, { now: BUILT_AT })
  const fresh = [...after.blobs].filter(([hash]) => !before.blobs.has(hash))
  const archive = new Set(after.head.archive.map((r) => r.hash))
  const label = new Set(after.head.labels.flatMap((l) => l.shards.map((r) => r.hash)))
  const kind = (hash: string) => (archive.has(hash) ? 'an archive shard' : label.has(hash) ? 'a label shard' : after.posts.some((p) => p.hash === hash) ? 'the post' : 'a page')
  // The publish also keeps the render of each new post and page (src/cli/renders.ts).
  const renders = renderEntries(after, documentsOf(after, new Set(fresh.map(([hash]) => hash))), Date.now())
  // And, as every publish does, the version's manifest (its head and every blob's hash), the
  // history with the head it replaced (src/cli/state.ts), then `head`.
  const manifest = serializeManifest(after.headJson, after.blobs.keys())
  const history = JSON.stringify(pushHistory({ schema: 1, entries: [] }, replacedHead(parseHead(before.headJson, 'head'), before.headJson, { blobs: new Set(before.blobs.keys()), head: before.headJson }), BUILT_AT))
  const keys = fresh.length + renders.length + 3
  const bytes =
    fresh.reduce((sum, [, value]) => sum + Buffer.byteLength(value), 0) +
    renders.reduce((sum, { value }) => sum + Buffer.byteLength(value), 0) +
    Buffer.byteLength(manifest) +
    Buffer.byteLength(history) +
    Buffer.byteLength(after.headJson)
  return { fresh, renders, manifest, keys, bytes, kind }
}

export interface P4Options {
  count: number
  rounds: number
  /** Posts for the run of the real publisher (`quire publish --local`); 0 skips it. */
  cliCount: number
}

export async function p4(before: Build, options: P4Options): Promise<Section> {
  const files = corpus(options.count)
  const site = join(RESULTS, `site-${options.count}`)
  const hugoSite = join(RESULTS, `hugo-${options.count}`)
  await rm(site, { recursive: true, force: true })
  await rm(hugoSite, { recursive: true, force: true })
  await writeFiles(site, [files.site, ...files.posts, ...files.pages])
  const hugo = has('hugo')
  if (hugo) {
    await writeFiles(hugoSite, [
      { path: 'config.yaml', text: HUGO_CONFIG },
      ...Object.entries(HUGO_LAYOUTS).map(([path, text]) => ({ path, text })),
      ...files.posts,
      ...files.pages,
    ])
  }

  // The first run after a change to the CLI's sources bundles it (src/cli/cli-bundle.mjs); an
  // author pays that once, not on every build, so it is not timed.
  timedRun(process.execPath, [QUIRE, '--help'])
  const quire: number[] = []
  const inProcess: number[] = []
  const hugoMs: number[] = []
  for (let round = 0; round < options.rounds; round++) {
    const runQuire = () => {
      const run = timedRun(process.execPath, [QUIRE, 'build', '--json', '--content', join(site, 'content')])
      const printed = JSON.parse(run.stdout) as { ms: number; posts: number }
      if (printed.posts !== options.count) throw new Error(`the build saw ${printed.posts} posts, not ${options.count}`)
      quire.push(run.ms)
      inProcess.push(printed.ms)
    }
    const runHugo = () => {
      const out = join(RESULTS, `hugo-${options.count}-public`)
      hugoMs.push(timedRun('hugo', ['--source', hugoSite, '--destination', out, '--cleanDestinationDir', '--quiet']).ms)
    }
    if (!hugo) runQuire()
    else if (round % 2) {
      runHugo()
      runQuire()
    } else {
      runQuire()
      runHugo()
    }
    process.stdout.write(`  P4 round ${round + 1}/${options.rounds}\n`)
  }

  const cli = options.cliCount > 0 ? await cliIncremental(options.cliCount) : { error: 'skipped' }
  const edits = corpus(options.count)
  const { fresh, renders, manifest, keys, bytes, kind } = await editCost(before, editOne(edits))
  // The newest post by date (the generator dates posts in file order): an edit to a post just
  // published, whose labels' newest shards hold its blob's hash for their feeds.
  const newest = await editCost(before, editOne(edits, edits.posts.length - 1))
  const ratio = hugo ? pairedRatio(quire, hugoMs) : Number.NaN
  // What \`check\` adds before every publish (it renders each post against the render budget) and
  // what a first publish keeps: every post's Markdown rendered, on one thread, in this process.
  const renderStarted = performance.now()
  renderEntries(before, documentsOf(before), Date.now())
  const renderMs = performance.now() - renderStarted
  const withRender = (median(quire) + renderMs) / median(hugoMs)
  return {
    title: 'P4 — building and publishing 10,000 posts',
    rows: [
      {
        id: 'P4',
        measure: `build ${options.count.toLocaleString('en-US')} posts ÷ hugo`,
        result: hugo ? `${fmt(ratio)}× (${fmt(median(quire) / 1000)} s vs ${fmt(median(hugoMs) / 1000)} s)` : `${fmt(median(quire) / 1000)} s; hugo not installed, no ratio`,
        goal: `≤ ${GOAL_RATIO}×`,
        met: hugo ? ratio <= GOAL_RATIO : null,
      },
      {
        id: 'P4',
        measure: '  same, with every post\'s Markdown rendered too (what `check` adds to a publish)',
        result: hugo ? `${fmt(withRender)}× (${fmt((median(quire) + renderMs) / 1000)} s: rendering ${fmt(renderMs / 1000)} s)` : `rendering ${fmt(renderMs / 1000)} s`,
        goal: '–',
        met: null,
      },
      {
        id: 'P4',
        measure: 'keys uploaded after editing one post (build, 10,000 posts)',
        result: `${keys} (${fresh.length} new blobs, ${plural(renders.length, 'render')}, manifest, history, head; ${fmt(bytes / 1024, 1)} KiB)`,
        goal: `a handful (≤ ${GOAL_KEYS})`,
        met: keys <= GOAL_KEYS,
      },
      {
        id: 'P4',
        measure: '  same, editing the newest post',
        result: `${newest.keys} (${newest.fresh.length} new blobs, ${plural(newest.renders.length, 'render')}, manifest, history, head; ${fmt(newest.bytes / 1024, 1)} KiB)`,
        goal: `a handful (≤ ${GOAL_KEYS})`,
        met: newest.keys <= GOAL_KEYS,
      },
      'newBlobs' in cli
        ? {
            id: 'P4',
            measure: `  same, \`quire publish --local\` (${options.cliCount.toLocaleString('en-US')} posts)`,
            result: `${cli.keys} (${cli.keyBytes}: ${cli.newBlobs} new blobs, ${plural(cli.renders, 'render')}, manifest, history, head)`,
            goal: `a handful (≤ ${GOAL_KEYS})`,
            met: cli.keys <= GOAL_KEYS,
          }
        : { id: 'P4', measure: '  same, `quire publish --local`', result: `not measured: ${cli.error}`, goal: `a handful (≤ ${GOAL_KEYS})`, met: null },
    ],
    details: [
      `Quire: \`quire build --json\` (\`node src/cli/bin.mjs\`, as \`npm run quire\` starts it, from the CLI's bundle made by an untimed first run) — read \`content/\` and build blobs and head as the publisher does before uploading, with posts read on one thread per core — timed as a whole process (in-process part: ${fmt(median(inProcess) / 1000)} s). Hugo: \`hugo --quiet\` on the same posts with a minimal theme (post, list and label pages; bench/p4-build.ts), ${hugo ? 'timed the same way' : '**not installed** (`apt-get install -y hugo`): skipped'}. ${options.rounds} alternating rounds, medians. Neither is pinned to a core: both use both. Hugo renders every post to HTML; Quire's build does not (\`quire publish\` renders the new posts' Markdown, not timed here, and the Worker renders pages), it parses front matter, lexes the Markdown for snippet and reading time, and hashes blobs.`,
      '',
      ...markdownTable(
        ['', 'runs, s', 'median, s'],
        [
          ['Quire (whole process)', quire.map((x) => fmt(x / 1000)).join(', '), fmt(median(quire) / 1000)],
          ['Quire (in process: read and build)', inProcess.map((x) => fmt(x / 1000)).join(', '), fmt(median(inProcess) / 1000)],
          ...(hugo ? [['hugo', hugoMs.map((x) => fmt(x / 1000)).join(', '), fmt(median(hugoMs) / 1000)]] : []),
        ],
      ),
      '',
      `After editing the body of one post from the middle of the blog's years, the build has ${fresh.length} blobs the previous build did not (${fresh.map(([hash]) => kind(hash)).join(', ')}), plus the ${plural(renders.length, 'render')} the publish keeps, and what every publish writes: the version's manifest (its head and every blob's hash, ${fmt(Buffer.byteLength(manifest) / 1024, 1)} KiB here), the history (a few bytes a version) and \`head\`: ${keys} keys, ${fmt(bytes / 1024, 1)} KiB. Editing the newest post instead: ${newest.fresh.length} blobs (${newest.fresh.map(([hash]) => newest.kind(hash)).join(', ')}), ${newest.keys} keys. The publisher uploads exactly the blobs the target lacks, then \`head\`. ${'newBlobs' in cli ? `The publisher itself, \`quire publish --local\` into a fresh local store (bench/results/cli-${options.cliCount}), with ${options.cliCount.toLocaleString('en-US')} posts (a 10,000-post publish through \`wrangler kv bulk put --local\` takes too long for every run), then the same edit and a second publish: it printed ${cli.newBlobs} new blobs${cli.bytes ? ` (${cli.bytes})` : ''} and ${plural(cli.renders, 'render')}, and \`keys written: ${cli.keys} (${cli.keyBytes})\`.` : `The publisher itself was not run: ${cli.error}.`}`,
    ],
  }
}
