import { checkContent } from './check'
import type { Output } from './output'
import { formatWhen } from './versions'
import { liveSince, postsOfHead, readArchiveShards, readTargetState } from './state'
import { assertTargetConfig, describeTarget, Kv, type Target } from './wrangler'

// status: what a publish would change, post by post, without writing anything.

export interface StatusOptions {
  contentDir: string
  target: Target
  out: Output
  drafts?: boolean
}

export interface StatusReport {
  live: string | null
  content: string
  added: string[]
  changed: string[]
  moved: { from: string; to: string }[]
  removed: string[]
  pages: { added: string[]; changed: string[]; removed: string[] }
  settingsChanged: boolean
}

export async function status(options: StatusOptions): Promise<StatusReport> {
  const { out, target } = options
  const { build } = await checkContent(options.contentDir, { drafts: options.drafts })
  assertTargetConfig(target)
  const kv = new Kv(target)
  const where = describeTarget(target)
  const state = await readTargetState(kv)
  const head = state.head
  const report: StatusReport = {
    live: head?.version ?? null,
    content: build.head.version,
    added: [],
    changed: [],
    moved: [],
    removed: [],
    pages: { added: [], changed: [], removed: [] },
    settingsChanged: false,
  }
  if (!head) {
    report.added = build.posts.map((p) => p.path)
    report.pages.added = build.head.pages.map((p) => `/p/${p.slug}.html`)
    out.info(`${where} has nothing published yet; publishing would add ${build.posts.length} posts and ${build.head.pages.length} pages`)
    return report
  }
  const since = liveSince(state.history)
  out.info(`${where} serves version ${head.version}${since ? ` (live since ${formatWhen(since, head.site.timeZone)})` : ''}`)
  if (head.version === build.head.version) {
    out.info(`up to date: ${options.contentDir} builds the same version`)
    return report
  }
  out.info(`${options.contentDir} builds version ${build.head.version}:`)

  const { shards } = await readArchiveShards(kv, [head], build.blobs)
  const live = postsOfHead(head, shards)
  const mine = new Map(build.posts.map((p) => [p.path, p]))
  const added = build.posts.filter((p) => !live.has(p.path))
  const removed = [...live.values()].filter((p) => !mine.has(p.path))
  report.changed = build.posts.filter((p) => live.has(p.path) && live.get(p.path)?.hash !== p.hash).map((p) => p.path)
  // A post whose date moved it to another month keeps its slug: show it as a move.
  const slugOf = (path: string) => path.slice(9)
  for (const post of [...added]) {
    const from = removed.find((r) => slugOf(r.path) === slugOf(post.path))
    if (!from) continue
    report.moved.push({ from: from.path, to: post.path })
    added.splice(added.indexOf(post), 1)
    removed.splice(removed.indexOf(from), 1)
  }
  report.added = added.map((p) => p.path)
  report.removed = removed.map((p) => p.path)

  const livePages = new Map(head.pages.map((p) => [p.slug, p.hash]))
  const myPages = new Map(build.head.pages.map((p) => [p.slug, p.hash]))
  const pageUrl = (slug: string) => `/p/${slug}.html`
  report.pages.added = [...myPages.keys()].filter((slug) => !livePages.has(slug)).map(pageUrl)
  report.pages.changed = [...myPages].filter(([slug, hash]) => livePages.has(slug) && livePages.get(slug) !== hash).map(([slug]) => pageUrl(slug))
  report.pages.removed = [...livePages.keys()].filter((slug) => !myPages.has(slug)).map(pageUrl)
  report.settingsChanged = canonical(head.site) !== canonical(build.head.site)

  const title = (path: string) => mine.get(path)?.title ?? live.get(path)?.title ?? ''
  for (const path of report.added) out.info(`  new        ${path}  ${title(path)}`)
  for (const path of report.changed) out.info(`  changed    ${path}  ${title(path)}`)
  for (const { from, to } of report.moved) out.info(`  moved      ${from} → ${to}`)
  for (const path of report.removed) out.info(`  removed    ${path}  ${title(path)}`)
  for (const path of report.pages.added) out.info(`  new page   ${path}`)
  for (const path of report.pages.changed) out.info(`  changed    ${path}`)
  for (const path of report.pages.removed) out.info(`  removed    ${path}`)
  if (report.settingsChanged) out.info('  changed    site settings (content/site.yaml)')
  const postChanges = report.added.length + report.changed.length + report.moved.length + report.removed.length
  if (postChanges + report.pages.added.length + report.pages.changed.length + report.pages.removed.length === 0 && !report.settingsChanged) {
    out.info('  no post, page or setting differs; the index differs (for example a scheduled post has come due)')
  }
  out.info(`publish with: npm run quire -- publish --${target.mode}`)
  return report
}

/** JSON with keys in a fixed order, to compare values whatever order their keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
