import { dirname, resolve } from 'node:path'
import type { Token } from 'marked'
import { type Build, type ContentFiles, slugFromFile, type SourceFile } from '../build/build'
import { ContentError, ContentErrors } from '../build/errors'
import { parseFrontMatter, parseYamlMapping } from '../build/frontmatter'
import { IMAGES_PATH } from '../content/keys'
import { isTimeZone, monthPath, parseContentDate } from '../content/time'
import { lex, markdown, type RenderedMarkdown, renderMarkdown } from '../markdown/render'
import { buildContent } from './build-content'
import { RenderTimes } from './render-times'

// `check`: everything the build refuses, plus what only shows once the content is read as a whole
// or rendered: slow Markdown, links to posts and pages that do not exist, missing images.

/** A post must render within this budget, or every uncached view of it waits that long in the Worker. */
export const DEFAULT_RENDER_BUDGET_MS = 250
/** Workers KV refuses larger values. */
const KV_VALUE_MAX_BYTES = 25 * 1024 * 1024

export interface CheckOptions {
  /** Check as a publish with `--drafts` would: drafts are published, links to them resolve. */
  drafts?: boolean
  /** The build's clock: posts dated later are scheduled. */
  now?: number
  renderBudgetMs?: number
  /** Where render times are kept between runs (RenderTimes); null keeps none. */
  renderTimesFile?: string | null
}

export interface CheckedContent {
  build: Build
  files: ContentFiles
  scheduled: number
  draftsLeftOut: number
  internalLinks: number
  images: number
  slowest: { file: string; ms: number } | null
  /**
   * What each post's and page's Markdown rendered to, by its Markdown, for those rendered by this
   * check (not those whose time was known from an earlier one): a publish keeps them.
   */
  renders: Map<string, RenderedMarkdown>
}

const POST_URL = /^\/\d{4}\/\d{2}\/[^/]+\.html$/
const PAGE_URL = /^\/p\/[^/]+\.html$/
const SCHEME = /^[a-z][a-z0-9+.-]*:/i

interface Document {
  file: SourceFile
  kind: 'post' | 'page'
  body: string
  /** The line the body starts on, for problems found in the body as a whole. */
  bodyLine: number
  draft: boolean
  /** The URL the post or page would have, when its front matter says enough to know it. */
  path: string | null
}

/** Reads and checks `contentDir`; throws ContentErrors listing every problem, sorted by file and line. */
export async function checkContent(contentDir: string, options: CheckOptions = {}): Promise<CheckedContent> {
  const dir = resolve(contentDir)
  // Paths in messages start at the content directory's own name: `content/posts/…`.
  const root = dirname(dir)
  const now = options.now ?? Date.now()
  const budget = options.renderBudgetMs ?? DEFAULT_RENDER_BUDGET_MS
  const { files, build, problems } = await buildContent(dir, root, { now, drafts: options.drafts })
  const errors: ContentError[] = [...problems]

  const site = readSiteLoosely(files.site)
  const documents = [
    ...files.posts.map((file) => readDocument(file, 'post', site.timeZone)),
    ...files.pages.map((file) => readDocument(file, 'page', site.timeZone)),
  ].filter((d): d is Document => d !== null)

  // A body the build could not even read is reported once, by the build, at the line it starts on.
  const bodyLines = new Map(documents.map((d) => [d.file.path, d.bodyLine]))
  errors.forEach((e, i) => {
    if (e.where.field === 'body' && e.where.line === undefined) errors[i] = new ContentError(e.file, e.problem, { ...e.where, line: bodyLines.get(e.file) })
  })
  const unreadable = new Set(errors.filter((e) => e.where.field === 'body').map((e) => e.file))
  const readable = documents.filter((d) => !unreadable.has(d.file.path))
  const renders = new Map<string, RenderedMarkdown>()
  const times = await RenderTimes.load(options.renderTimesFile === undefined ? RenderTimes.defaultFile(dir) : options.renderTimesFile)
  const slowest = checkRenderTimes(readable, budget, errors, renders, times)
  await times.save()

  const published = (d: Document) => d.kind === 'post' && (options.drafts || !d.draft)
  const postPaths = new Set(build ? build.posts.map((p) => p.path) : documents.filter(published).map((d) => d.path))
  const draftPaths = new Set(documents.filter((d) => d.kind === 'post' && !published(d)).map((d) => d.path))
  const pagePaths = new Set(documents.filter((d) => d.kind === 'page').map((d) => d.path))
  // When the build failed, a post with problems of its own has no known URL: links to it are not
  // reported twice.
  const unknownSlugs = new Set(documents.filter((d) => d.kind === 'post' && d.path === null).map((d) => slugFromFile(d.file.path)))

  // The images the build read: a hidden file, say, exists on disk but is not published.
  const imageNames = new Set(files.images?.map((image) => image.name))
  let internalLinks = 0
  let images = 0
  for (const document of readable) {
    for (const ref of referencesIn(document)) {
      if (ref.kind === 'image') {
        const problem = missingImage(ref.url, imageNames)
        if (problem !== undefined) images++
        if (problem) errors.push(new ContentError(document.file.path, problem, { line: ref.line, field: 'image' }))
        continue
      }
      const path = sitePath(ref.url, site.baseUrl)
      if (path === null) continue
      const problem = unresolvedLink(path, { postPaths, draftPaths, pagePaths, unknownSlugs })
      if (problem !== undefined) internalLinks++
      if (problem) errors.push(new ContentError(document.file.path, problem, { line: ref.line, field: 'link' }))
    }
  }

  if (build) {
    for (const post of build.posts) {
      const bytes = Buffer.byteLength(build.blobs.get(post.hash) ?? '')
      if (bytes > KV_VALUE_MAX_BYTES) {
        errors.push(new ContentError(post.file, `is ${(bytes / 1024 / 1024).toFixed(1)} MiB once stored; Workers KV keeps values up to 25 MiB`))
      }
    }
  }

  if (errors.length > 0 || !build) throw new ContentErrors(sortByPlace(errors))
  return {
    build,
    files,
    scheduled: build.head.scheduled.length,
    draftsLeftOut: options.drafts ? 0 : documents.filter((d) => d.kind === 'post' && d.draft).length,
    internalLinks,
    images,
    slowest,
    renders,
  }
}

/** The settings links and dates need, or safe defaults when site.yaml has problems (already reported). */
function readSiteLoosely(file: SourceFile): { timeZone: string; baseUrl: string } {
  const fm = parseYamlMapping(file.path, file.text, [])
  const timeZone = fm?.data.timeZone
  const baseUrl = fm?.data.baseUrl
  return {
    timeZone: typeof timeZone === 'string' && isTimeZone(timeZone) ? timeZone : 'UTC',
    baseUrl: typeof baseUrl === 'string' ? baseUrl.replace(/\/+$/, '') : '',
  }
}

function readDocument(file: SourceFile, kind: 'post' | 'page', timeZone: string): Document | null {
  const fm = parseFrontMatter(file.path, file.text, [])
  if (!fm) return null
  // Problems with the body as a whole point at its first line of text.
  const bodyStart = file.text.length - fm.body.length + (/\S/.exec(fm.body)?.index ?? 0)
  const bodyLine = file.text.slice(0, bodyStart).split('\n').length
  const draft = fm.data.draft === true
  const slug = typeof fm.data.slug === 'string' ? fm.data.slug : slugFromFile(file.path)
  let path: string | null = null
  if (kind === 'page' && slug) path = `/p/${slug}.html`
  if (kind === 'post' && slug) {
    const date = fm.data.date
    const instant = date instanceof Date ? date.getTime() : typeof date === 'string' ? parseContentDate(date, timeZone) : Number.NaN
    if (!Number.isNaN(instant)) path = `/${monthPath(instant, timeZone)}/${slug}.html`
  }
  return { file, kind, body: fm.body, bodyLine, draft, path }
}

function checkRenderTimes(
  documents: Document[],
  budget: number,
  errors: ContentError[],
  renders: Map<string, RenderedMarkdown>,
  times: RenderTimes,
): { file: string; ms: number } | null {
  let warm = false
  let slowest: { file: string; ms: number } | null = null
  for (const document of documents) {
    let ms = times.get(document.body)
    // Timed before, under this renderer, within the budget: it renders the same way again.
    if (ms === undefined || ms > budget) {
      // The first render pays for compiling the renderer; it must not count against a post.
      if (!warm) renderMarkdown('# warm-up\n\n*a* [b](/c) `d`\n\n```python\nx = 1\n```\n')
      warm = true
      try {
        ms = timeRender(document.body, renders)
        // A garbage collection can stall one run; a slow post is slow every time.
        if (ms > budget) ms = Math.min(ms, timeRender(document.body, renders))
      } catch (error) {
        const reason = (error as Error).message.split('\n')[0]
        errors.push(new ContentError(document.file.path, `cannot be rendered: ${reason}`, { line: document.bodyLine, field: 'body' }))
        continue
      }
      times.set(document.body, ms)
    }
    if (!slowest || ms > slowest.ms) slowest = { file: document.file.path, ms }
    if (ms > budget) {
      errors.push(
        new ContentError(
          document.file.path,
          `takes ${Math.round(ms)} ms of CPU to render, over the ${budget} ms budget (the Worker would spend that on every uncached view); ` +
            'look for very deep nesting of lists or quotes',
          { line: document.bodyLine, field: 'body' },
        ),
      )
    }
  }
  return slowest
}

/**
 * CPU milliseconds one render takes: what the Worker's CPU limit counts, and unlike the wall
 * clock, not inflated when other processes share the machine.
 */
function timeRender(body: string, renders: Map<string, RenderedMarkdown>): number {
  const start = process.cpuUsage()
  const rendered = renderMarkdown(body)
  const used = process.cpuUsage(start)
  renders.set(body, rendered)
  return (used.user + used.system) / 1000
}

interface Reference {
  kind: 'link' | 'image'
  url: string
  line: number
}

const HTML_REFERENCE = /<(a|img)\b[^>]*?\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi

/** Links and images in the document's Markdown and raw HTML, with the line each is on. */
function referencesIn(document: Document): Reference[] {
  let tokens: Token[]
  try {
    tokens = lex(document.body)
  } catch {
    return [] // Already reported as a render failure.
  }
  const found: { kind: 'link' | 'image'; url: string }[] = []
  markdown.walkTokens(tokens, (token) => {
    if (token.type === 'link') found.push({ kind: 'link', url: token.href })
    else if (token.type === 'image') found.push({ kind: 'image', url: token.href })
    else if (token.type === 'html') {
      for (const match of token.raw.matchAll(HTML_REFERENCE)) {
        found.push({ kind: match[1]?.toLowerCase() === 'img' ? 'image' : 'link', url: match[3] ?? match[4] ?? '' })
      }
    }
  })
  const text = document.file.text
  let cursor = text.length - document.body.length
  return found.map(({ kind, url }) => {
    let at = text.indexOf(url, cursor)
    if (at < 0) at = text.indexOf(url)
    if (at >= 0) cursor = at + url.length
    const line = at < 0 ? document.bodyLine : text.slice(0, at).split('\n').length
    return { kind, url, line }
  })
}

/** The site path a link points to, or null for another site, a mail address or a fragment. */
function sitePath(url: string, baseUrl: string): string | null {
  let path: string
  if (baseUrl && (url === baseUrl || url.startsWith(`${baseUrl}/`))) path = url.slice(baseUrl.length) || '/'
  else if (url.startsWith('/') && !url.startsWith('//')) path = url
  else return null
  return path.replace(/[?#].*$/, '')
}

interface KnownUrls {
  postPaths: Set<string | null>
  draftPaths: Set<string | null>
  pagePaths: Set<string | null>
  unknownSlugs: Set<string | null>
}

/** A problem with a link to `path`; '' when it resolves; undefined when it is no post or page URL. */
function unresolvedLink(path: string, known: KnownUrls): string | undefined {
  if (POST_URL.test(path)) {
    if (known.postPaths.has(path)) return ''
    if (known.draftPaths.has(path)) return `${path} is a draft, which is not published (publish with --drafts, or remove the link)`
    const slug = path.slice(9, -5)
    if (known.unknownSlugs.has(slug)) return ''
    const elsewhere = [...known.postPaths].find((p) => p?.endsWith(`/${slug}.html`))
    return `${path} is not a post${elsewhere ? `; did you mean ${elsewhere}?` : ''}`
  }
  if (PAGE_URL.test(path)) return known.pagePaths.has(path) ? '' : `${path} is not a page`
  return undefined
}

/**
 * A problem with a local image; '' when it exists; undefined when the image is not local. The
 * Worker serves the blog's images from content/images/ alone, at /images/ and their names.
 */
function missingImage(url: string, imageNames: ReadonlySet<string>): string | undefined {
  if (SCHEME.test(url) || url.startsWith('//') || url.startsWith('#') || url === '') return undefined
  if (!url.startsWith(IMAGES_PATH)) return `${url} is not served: put the image in content/images/ and show it as ${IMAGES_PATH}NAME`
  let name: string
  try {
    name = decodeURI(url.slice(IMAGES_PATH.length).replace(/[?#].*$/, ''))
  } catch {
    return `${url} is not a valid URL`
  }
  return imageNames.has(name) ? '' : `${url} does not exist: there is no content/images/${name}`
}

function sortByPlace(errors: ContentError[]): ContentError[] {
  return errors
    .map((error, index) => ({ error, index }))
    .sort(
      (a, b) =>
        (a.error.file < b.error.file ? -1 : a.error.file > b.error.file ? 1 : 0) ||
        (a.error.where.line ?? 0) - (b.error.where.line ?? 0) ||
        a.index - b.index,
    )
    .map(({ error }) => error)
}
