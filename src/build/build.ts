import { encodeHead } from '../content/head-text'
import { encodeShard, FEED_ENTRIES, summaryJsonWithoutHash } from '../content/shard-text'
import { blobKey, labelKey, sha256 } from '../content/keys'
import type {
  ArchiveShardRef, Head, Label, Page, Post, PostLink, PostSummary, Scheduled, SearchDirectory, Shard, ShardRef, Site,
} from '../content/schema'
import { monthPath, toZonedIso } from '../content/time'
import { type SearchIndex, searchIndex, withFirstResults } from './search'
import { ContentError, ContentErrors } from './errors'
import { parseFrontMatter, parseYamlMapping } from './frontmatter'
import { readImages, type SourceImage } from './images'
import { type PostFacts, postFacts } from './text-facts'
import { readDate, validatePage, validatePost, validateSite } from './validate'

// content/ in, blobs and head out: a pure function of its input (the clock is an input too), with
// no Node or Workers APIs, so the publisher, the tests in workerd and the benchmarks share it.

export interface SourceFile {
  /** Path relative to the project, e.g. `content/posts/2026/03/hello.md`: used in errors. */
  path: string
  text: string
}

export interface ContentFiles {
  site: SourceFile
  posts: SourceFile[]
  pages: SourceFile[]
  /** content/images/, in any order. */
  images?: SourceImage[]
}

export interface BuildOptions {
  /** Posts dated after this instant are published as scheduled. */
  now: number
  /** Include posts marked `draft: true`. */
  drafts?: boolean
}

export interface BuiltPost {
  file: string
  path: string
  title: string
  date: string
  hash: string
}

export interface Build {
  head: Head
  /** The exact bytes written to `head`. */
  headJson: string
  /** Every blob the head refers to, by hash. */
  blobs: Map<string, string>
  /** The blobs whose text is the base64 of the bytes KV keeps (the images). */
  binary: Set<string>
  posts: BuiltPost[]
}

/** Archive shards close at the first month boundary after this many posts. */
export const ARCHIVE_SHARD_POSTS = 60
/** Label shards hold exactly this many posts, except the newest. */
export const LABEL_SHARD_POSTS = 60

/** A post read from its file: what the rest of the build needs of it. */
export interface ParsedPost {
  file: string
  instant: number
  summary: PostSummary
  post: Post
  headings: string[]
  /** The post's blob and its hash, when whoever read the post made them already. */
  blob?: { json: string; hash: string }
  /** The post's terms for the search index (`postTerms`), when whoever read the post found them already. */
  terms?: string
}

/** The search index of the posts (`searchIndex`), made here or on another thread. */
export type IndexSearch = (posts: ParsedPost[]) => Promise<SearchIndex>

const indexHere: IndexSearch = async (posts) => searchIndex(posts)

/** What reading a post needs of the site and the options. */
export interface PostContext {
  timeZone: string
  siteAuthor: string
  drafts: boolean
}

export async function buildSite(files: ContentFiles, options: BuildOptions): Promise<Build> {
  const errors: ContentError[] = []
  const site = readSite(files.site, errors)
  const posts = readPosts(files.posts, postContext(site, options), errors)
  return finishBuild(site, posts, files.pages, files.images ?? [], options, errors)
}

/** Reading posts needs these even when the site settings have problems (already reported). */
export const postContext = (site: Site | null, options: BuildOptions): PostContext => ({
  timeZone: site?.timeZone ?? 'UTC',
  siteAuthor: site?.author ?? '',
  drafts: options.drafts ?? false,
})

/**
 * Reads each post on its own, in order, recording every problem in `errors`: the part of the build
 * that is independent for each post, so it may run on several threads, each over a slice of them.
 */
export function readPosts(files: SourceFile[], context: PostContext, errors: ContentError[]): ParsedPost[] {
  const posts: ParsedPost[] = []
  for (const file of files) {
    const parsed = readPost(file, context, errors)
    if (parsed) posts.push(parsed)
  }
  return posts
}

/**
 * The rest of the build once every post is read (in the files' order, `errors` holding the
 * problems found so far): pages, unique URLs, blobs, shards, the search index and head.
 */
export async function finishBuild(
  site: Site | null,
  posts: ParsedPost[],
  pageFiles: SourceFile[],
  imageFiles: SourceImage[],
  options: BuildOptions,
  errors: ContentError[],
  indexSearch: IndexSearch = indexHere,
): Promise<Build> {
  const pages: { file: string; page: Page }[] = []
  for (const file of pageFiles) {
    const page = readPage(file, errors)
    if (page) pages.push({ file: file.path, page })
  }
  const images = readImages(imageFiles, errors)
  checkUnique(posts.map((p) => ({ file: p.file, key: p.summary.path })), 'URL', errors)
  checkUnique(pages.map((p) => ({ file: p.file, key: p.page.slug })), 'page URL /p/…', errors)
  if (errors.length > 0 || !site) throw new ContentErrors(errors)

  const blobs = new Map<string, string>()
  // Hashing waits on the thread pool: ask for a batch at once, and keep the blobs in order. Every
  // blob is JSON but the shards (src/content/shard-text.ts) and the search index's buckets
  // (src/content/postings.ts).
  const storeTexts = async (texts: string[], known: (string | undefined)[] = []) => {
    const hashes = await Promise.all(texts.map((text, i) => known[i] ?? sha256(text)))
    hashes.forEach((hash, i) => blobs.set(hash, texts[i] as string))
    return hashes
  }
  const store: Store = (values) => storeTexts(values.map((value) => JSON.stringify(value)))
  // A post's summary is in its archive shard and in a shard of each of its labels: written once.
  const summaryJson = new Map<PostSummary, string>()
  const jsonOf = (summary: PostSummary): string => {
    let json = summaryJson.get(summary)
    if (json === undefined) {
      json = JSON.stringify(summary)
      summaryJson.set(summary, json)
    }
    return json
  }
  // Most label lines, and common search terms' first results, go without the blobs' hashes: also
  // written once.
  const hashlessJson = new Map<PostSummary, string>()
  const hashlessJsonOf = (summary: PostSummary): string => {
    let json = hashlessJson.get(summary)
    if (json === undefined) {
      json = summaryJsonWithoutHash(summary, jsonOf(summary))
      hashlessJson.set(summary, json)
    }
    return json
  }
  const storeShards: StoreShards = (shards, withHash = () => true) =>
    storeTexts(shards.map((shard) => encodeShard(shard, (summary) => (withHash(summary) ? jsonOf(summary) : hashlessJsonOf(summary)))))

  // Newest first; equal dates fall back to the URL so the order never depends on the file system.
  posts.sort((a, b) => b.instant - a.instant || (a.summary.path < b.summary.path ? -1 : 1))
  const postHashes = await storeTexts(
    posts.map((p) => p.blob?.json ?? JSON.stringify(p.post)),
    posts.map((p) => p.blob?.hash),
  )
  posts.forEach((p, i) => {
    p.summary.hash = postHashes[i] as string
  })
  // Asked for before the shards, so that another thread may index while this one stores them.
  const indexed = indexSearch(posts).then(
    (index) => ({ index }),
    (error: unknown) => ({ error }),
  )

  const archive = await buildArchive(posts, storeShards, options.now)
  const labels = await buildLabels(posts, storeShards, new Set(posts.slice(0, archive[0]?.count ?? 0).map((p) => p.summary)), options.now)
  const pageRefs = []
  for (const { page } of [...pages].sort((a, b) => (a.page.slug < b.page.slug ? -1 : 1))) {
    pageRefs.push({ slug: page.slug, title: page.title, hash: (await store([page]))[0] as string })
  }
  const scheduled: Scheduled[] = posts
    .filter((p) => p.instant > options.now)
    .map((p) => ({ path: p.summary.path, date: p.summary.date, labels: p.post.labels.map(labelKey) }))

  const indexing = await indexed
  if ('error' in indexing) throw indexing.error
  const { index } = indexing
  const search: SearchDirectory = { buckets: await storeTexts(index.buckets) }
  if (index.terms.length > 0) {
    const summaryOf = new Map(posts.map((p) => [p.summary.path, p.summary]))
    const texts = index.terms.map(([term, text]) => withFirstResults(text, term, summaryOf, site.postsPerPage, hashlessJsonOf))
    const hashes = await storeTexts(texts)
    search.terms = index.terms.map(([term], i) => `${term} ${hashes[i]}`).join(' ')
  }

  // The images' index is a blob of its own: only their URLs read it, and a blog may have thousands.
  const imageHashes = await storeTexts(images.map(({ data }) => data))
  const imageIndex =
    images.length === 0 ? [] : await store([Object.fromEntries(images.map(({ name, type }, i) => [name, { hash: imageHashes[i] as string, type }]))])
  const unversioned = {
    schema: 1 as const, version: '', site, archive, labels, pages: pageRefs, scheduled, search, ...(imageIndex[0] ? { images: imageIndex[0] } : {}),
  }
  const version = (await sha256(JSON.stringify(unversioned))).slice(0, 16)
  const head: Head = { ...unversioned, version }
  return {
    head,
    headJson: encodeHead(head),
    blobs,
    binary: new Set(imageHashes),
    posts: posts.map((p) => ({
      file: p.file,
      path: p.summary.path,
      title: p.summary.title,
      date: p.summary.date,
      hash: p.summary.hash,
    })),
  }
}

export function readSite(file: SourceFile, errors: ContentError[]): Site | null {
  const fm = parseYamlMapping(file.path, file.text, errors)
  if (!fm) return null
  return validateSite(file.path, fm, errors)
}

function readPost(file: SourceFile, { timeZone, siteAuthor, drafts }: PostContext, errors: ContentError[]): ParsedPost | null {
  const fm = parseFrontMatter(file.path, file.text, errors)
  if (!fm) return null
  const meta = validatePost(file.path, fm, errors)
  if (!meta) return null
  const instant = readDate(meta.date, 'date', timeZone, file.path, fm, errors)
  const updatedInstant = meta.updated === undefined ? undefined : readDate(meta.updated, 'updated', timeZone, file.path, fm, errors)
  const slug = meta.slug ?? slugFromFile(file.path)
  if (!slug) {
    errors.push(
      new ContentError(file.path, 'the file name cannot be a URL: rename it to lowercase letters, digits and "-", or set slug:', {
        line: 1,
        field: 'slug',
      }),
    )
  }
  if (instant === null || updatedInstant === null || !slug) return null
  if (meta.draft && !drafts) return null

  const date = toZonedIso(instant, timeZone)
  const updated = updatedInstant === undefined ? undefined : toZonedIso(updatedInstant, timeZone)
  const path = `/${monthPath(instant, timeZone)}/${slug}.html`
  const labels = uniqueLabels(meta.labels)
  const summaryText = meta.summary || undefined
  let facts: PostFacts
  try {
    facts = postFacts(fm.body)
  } catch (cause) {
    // marked recurses on nesting: a pathological body must be one located problem, not a crash.
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause)
    errors.push(new ContentError(file.path, `the Markdown cannot be read: ${reason}`, { field: 'body' }))
    return null
  }
  const post: Post = {
    path,
    title: meta.title,
    date,
    ...(updated ? { updated } : {}),
    author: meta.author || siteAuthor,
    labels,
    ...(summaryText ? { summary: summaryText } : {}),
    minutes: facts.minutes,
    markdown: fm.body,
  }
  const summary: PostSummary = {
    path,
    title: meta.title,
    date,
    ...(updated ? { updated } : {}),
    labels,
    snippet: summaryText ?? facts.snippet,
    minutes: facts.minutes,
    hash: '',
  }
  return { file: file.path, instant, summary, post, headings: facts.headings }
}

function readPage(file: SourceFile, errors: ContentError[]): Page | null {
  const fm = parseFrontMatter(file.path, file.text, errors)
  if (!fm) return null
  const meta = validatePage(file.path, fm, errors)
  if (!meta) return null
  const slug = meta.slug ?? slugFromFile(file.path)
  if (!slug) {
    errors.push(new ContentError(file.path, 'the file name cannot be a URL: rename it or set slug:', { line: 1, field: 'slug' }))
    return null
  }
  return { slug, title: meta.title, ...(meta.description ? { description: meta.description } : {}), markdown: fm.body }
}

/** `content/posts/2026/03/hello-world.md` → `hello-world`, or null if the name is no slug. */
export function slugFromFile(path: string): string | null {
  const name = path.split('/').pop()?.replace(/\.(md|markdown)$/i, '') ?? ''
  return /^[a-z0-9][a-z0-9_-]{0,199}$/.test(name) ? name : null
}

/** Labels in the author's order, without repeats that differ only in case. */
function uniqueLabels(labels: string[]): string[] {
  const seen = new Set<string>()
  return labels.filter((label) => {
    const key = labelKey(label)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function checkUnique(items: { file: string; key: string }[], what: string, errors: ContentError[]): void {
  const first = new Map<string, string>()
  for (const { file, key } of items) {
    const other = first.get(key)
    if (other) errors.push(new ContentError(file, `has the same ${what} as ${other}: ${key}`))
    else first.set(key, file)
  }
}

/** Stores each value as a blob; their hashes, in the same order. */
type Store = (values: unknown[]) => Promise<string[]>
/** Stores each shard as a blob, its summaries with their blobs' hashes unless `withHash` says not. */
type StoreShards = (shards: Shard[], withHash?: (summary: PostSummary) => boolean) => Promise<string[]>

const linkTo = (s: PostSummary | undefined): PostLink | null =>
  s ? { path: s.path, title: s.title, date: s.date } : null

/**
 * Cuts `posts` (newest first) into runs, counting from the oldest so that a new post changes only
 * the newest run (or, when the newest grows to a full run of its own, the two newest). A run
 * closes once it holds `size` posts and the next post has another `groupOf`.
 */
function runsFromOldest(
  posts: ParsedPost[],
  size: number,
  groupOf: (p: ParsedPost) => string,
): ParsedPost[][] {
  const runs: ParsedPost[][] = []
  let run: ParsedPost[] = []
  for (let i = posts.length - 1; i >= 0; i--) {
    const post = posts[i] as ParsedPost
    const last = run[run.length - 1]
    if (last && run.length >= size && groupOf(last) !== groupOf(post)) {
      runs.push(run)
      run = []
    }
    run.push(post)
  }
  // The newest run is what the home page, a label's page and every feed read first: too short a
  // one would send them to the next shard too. Until it has a full run's posts, it joins the run
  // before it.
  const previous = runs[runs.length - 1]
  if (previous && run.length < size) previous.push(...run)
  else if (run.length > 0) runs.push(run)
  return runs.reverse().map((r) => r.reverse())
}

/**
 * Stores each run as a shard; `linked` shards name their neighbours for the post pager, and
 * `withHash` says which summaries hold their blob's hash (all, without it).
 */
async function storeRuns(
  runs: ParsedPost[][],
  store: StoreShards,
  linked: boolean,
  withHash?: (summary: PostSummary) => boolean,
): Promise<{ hash: string; run: ParsedPost[] }[]> {
  const shards = runs.map(
    (run, i): Shard => ({
      posts: run.map((p) => p.summary),
      older: linked ? linkTo(runs[i + 1]?.[0]?.summary) : null,
      newer: linked ? linkTo(runs[i - 1]?.at(-1)?.summary) : null,
    }),
  )
  const stored = await store(shards, withHash)
  return runs.map((run, i) => ({ hash: stored[i] as string, run }))
}

const monthOf = (p: ParsedPost): string => p.summary.path.slice(1, 8).replace('/', '-')

function shardRef(hash: string, run: ParsedPost[]): ShardRef {
  return {
    hash,
    count: run.length,
    newest: (run[0] as ParsedPost).summary.date,
    oldest: (run[run.length - 1] as ParsedPost).summary.date,
  }
}

async function buildArchive(posts: ParsedPost[], store: StoreShards, now: number): Promise<ArchiveShardRef[]> {
  const stored = await storeRuns(runsFromOldest(posts, ARCHIVE_SHARD_POSTS, monthOf), store, true)
  return stored.map(({ hash, run }) => {
    const byMonth = new Map<string, ParsedPost[]>()
    for (const post of run) byMonth.set(monthOf(post), [...(byMonth.get(monthOf(post)) ?? []), post])
    const months = [...byMonth].map(([month, group]) => {
      // A scheduled post has changed nothing yet; it counts only when it is all the month has.
      const published = group.filter((p) => p.instant <= now)
      return { month, count: group.length, lastmod: lastChanged(published.length > 0 ? published : group) }
    })
    return { ...shardRef(hash, run), months }
  })
}

/** The latest `updated` (or, without one, publication date) of `posts`. */
function lastChanged(posts: ParsedPost[]): string {
  let latest = ''
  for (const p of posts) {
    const changed = p.summary.updated ?? p.summary.date
    if (!latest || Date.parse(changed) > Date.parse(latest)) latest = changed
  }
  return latest
}

/** `inNewestArchive`: the summaries the newest archive shard holds, with their hashes. */
async function buildLabels(posts: ParsedPost[], store: StoreShards, inNewestArchive: Set<PostSummary>, now: number): Promise<Label[]> {
  const byKey = new Map<string, { spellings: Map<string, number>; posts: ParsedPost[] }>()
  for (const post of posts) {
    for (const name of post.post.labels) {
      const key = labelKey(name)
      let entry = byKey.get(key)
      if (!entry) {
        entry = { spellings: new Map(), posts: [] }
        byKey.set(key, entry)
      }
      entry.spellings.set(name, (entry.spellings.get(name) ?? 0) + 1)
      entry.posts.push(post)
    }
  }
  const labels: Label[] = []
  for (const key of [...byKey.keys()].sort()) {
    const entry = byKey.get(key)
    if (!entry) continue
    // The spelling most posts use is the one readers see.
    const name = [...entry.spellings.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? key
    // A label's full feed reads its posts' renders by their blobs' hashes, which it finds in the
    // label's shard, for the posts a feed shows unless asked for more (and the scheduled ones, as
    // they go live), or in the newest archive shard, which it reads with it. Every other label
    // line goes without, so that editing a post's body changes no label's shard unless the post is
    // among a feed's posts but not among the blog's newest; a feed that asks for more, or pages
    // deeper, finds the hashes in the archive's other shards.
    const scheduled = entry.posts.filter((p) => p.instant > now).length
    const inFeed = new Set(entry.posts.slice(0, FEED_ENTRIES + scheduled).map((p) => p.summary))
    const withHash = (summary: PostSummary) => inFeed.has(summary) && !inNewestArchive.has(summary)
    const stored = await storeRuns(runsFromOldest(entry.posts, LABEL_SHARD_POSTS, (p) => p.summary.path), store, false, withHash)
    labels.push({ name, key, count: entry.posts.length, shards: stored.map(({ hash, run }) => shardRef(hash, run)) })
  }
  return labels
}

/** The key-value pairs to upload for a build, `head` excluded; `base64` for bytes written as text (wrangler's form). */
export function blobEntries(build: Build): { key: string; value: string; base64?: true }[] {
  return [...build.blobs].map(([hash, value]) => (build.binary.has(hash) ? { key: blobKey(hash), value, base64: true } : { key: blobKey(hash), value }))
}
