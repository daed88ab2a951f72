/// <reference path="./turndown-plugin-gfm.d.ts" />
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import TurndownService from 'turndown'
import { gfm } from 'turndown-plugin-gfm'
import { parseYamlMapping } from '../build/frontmatter'
import type { ContentError } from '../build/errors'
import { monthPath, parseContentDate } from '../content/time'
import { UsageError } from './errors'
import { type Output, plural } from './output'

// import: a Blogger export (Settings → Back up content, or Google Takeout's feed.atom) into
// content/, keeping every post's URL. HTML becomes Markdown; images stay where Blogger hosts them.

const KIND_SCHEME = 'http://schemas.google.com/g/2005#kind'
const LABEL_SCHEME = 'http://www.blogger.com/atom/ns#'
const SLUG = /^[a-z0-9][a-z0-9_-]{0,199}$/
/** Blogger's switch to its mobile view, as the whole query of a link: `?m=1` (or `?m=0`), before any fragment. */
const MOBILE_VIEW = /\?m=[01](?=#|$)/

type Kind = 'post' | 'page' | 'other'

interface Attributes {
  '@href'?: string
  '@rel'?: string
  '@scheme'?: string
  '@term'?: string
}

interface BloggerEntry {
  id?: string
  title?: string | { '#text'?: string }
  content?: string | { '#text'?: string }
  published?: string
  updated?: string
  author?: { name?: string } | { name?: string }[]
  category?: Attributes[]
  link?: Attributes[]
  'app:control'?: { 'app:draft'?: string }
  'blogger:type'?: string
  'blogger:status'?: string
  'blogger:filename'?: string
}

export interface ImportedItem {
  /** The file written, relative to the content directory's parent. */
  file: string
  /** The URL on Blogger, which the post keeps. */
  url: string
  draft: boolean
}

export interface ImportResult {
  posts: ImportedItem[]
  pages: ImportedItem[]
  /** Files that were there already: never overwritten. */
  existing: string[]
  /** Posts whose month in the site's time zone differs from Blogger's, so their URL would change. */
  moved: { url: string; file: string; wouldBe: string }[]
  /** Comments, settings and layout entries, which Quire does not import. */
  ignored: number
}

const text = (value: string | { '#text'?: string } | undefined): string =>
  (typeof value === 'string' ? value : (value?.['#text'] ?? '')).trim()

function kindOf(entry: BloggerEntry): Kind {
  const type = entry['blogger:type']?.toUpperCase()
  if (type) return type === 'POST' ? 'post' : type === 'PAGE' ? 'page' : 'other'
  const term = entry.category?.find((c) => c['@scheme'] === KIND_SCHEME)?.['@term'] ?? ''
  return term.endsWith('#post') ? 'post' : term.endsWith('#page') ? 'page' : 'other'
}

function isDraft(entry: BloggerEntry): boolean {
  const status = entry['blogger:status']?.toUpperCase()
  if (status) return status !== 'LIVE'
  return entry['app:control']?.['app:draft'] === 'yes'
}

const isDeleted = (entry: BloggerEntry): boolean => entry['blogger:status']?.toUpperCase() === 'DELETED'

/** The path Blogger served the entry at, e.g. `/2026/03/slug.html` or `/p/about.html`. */
function bloggerPath(entry: BloggerEntry): string | null {
  const filename = entry['blogger:filename']
  if (filename) return filename.startsWith('/') ? filename : `/${filename}`
  const href = entry.link?.find((l) => l['@rel'] === 'alternate')?.['@href']
  return href && URL.canParse(href) ? new URL(href).pathname : null
}

function labelsOf(entry: BloggerEntry): string[] {
  const takeout = entry['blogger:type'] !== undefined
  return (entry.category ?? [])
    .filter((c) => c['@scheme'] !== KIND_SCHEME && (takeout || c['@scheme'] === LABEL_SCHEME))
    .map((c) => (c['@term'] ?? '').trim())
    .filter(Boolean)
}

function authorOf(entry: BloggerEntry): string {
  const author = Array.isArray(entry.author) ? entry.author[0] : entry.author
  return (author?.name ?? '').trim()
}

export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  return slug || 'untitled'
}

/** What the converter reads of a <pre>: turndown's DOM, described without the DOM library. */
interface PreElement {
  getAttribute(name: string): string | null
  querySelector?(selector: string): PreElement | null
  textContent: string | null
}

/** The one HTML-to-Markdown converter: GFM tables and strikethrough, fenced code with its language. */
function converter(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    hr: '---',
  })
  service.use(gfm)
  service.addRule('fencedPre', {
    filter: (node) => node.nodeName === 'PRE',
    replacement: (_content, node) => {
      const element = node as unknown as PreElement
      const code = element.querySelector?.('code')
      const classes = `${element.getAttribute('class') ?? ''} ${code?.getAttribute('class') ?? ''}`
      // SyntaxHighlighter's "brush: python", Prism's "language-python", Prettify's "lang-python".
      const language = /(?:brush:\s*|language-|lang-)([\w+#-]+)/.exec(classes)?.[1] ?? ''
      const body = (element.textContent ?? '').replace(/\n+$/, '')
      const fence = body.includes('```') ? '~~~' : '```'
      return `\n\n${fence}${language.toLowerCase()}\n${body}\n${fence}\n\n`
    },
  })
  return service
}

function frontMatter(fields: Record<string, string | string[] | boolean | undefined>): string {
  const lines = ['---']
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue
    if (Array.isArray(value)) lines.push(`${name}: [${value.map((v) => JSON.stringify(v)).join(', ')}]`)
    else if (typeof value === 'boolean') lines.push(`${name}: true`)
    else lines.push(`${name}: ${/^[\d-]+T[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(value) ? value : JSON.stringify(value)}`)
  }
  lines.push('---', '')
  return lines.join('\n')
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

async function siteSettings(contentDir: string): Promise<{ timeZone: string; author: string }> {
  const path = join(contentDir, 'site.yaml')
  const errors: ContentError[] = []
  const fm = (await exists(path)) ? parseYamlMapping(path, await readFile(path, 'utf8'), errors) : null
  const timeZone = typeof fm?.data.timeZone === 'string' ? fm.data.timeZone : 'UTC'
  const author = typeof fm?.data.author === 'string' ? fm.data.author : ''
  return { timeZone, author }
}

export interface ImportOptions {
  /** The Blogger export: an Atom XML file. */
  file: string
  contentDir: string
  out: Output
}

export async function importBlogger(options: ImportOptions): Promise<ImportResult> {
  let xml: string
  try {
    xml = await readFile(options.file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${options.file}: ${(error as Error).message}`)
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    isArray: (name) => ['entry', 'category', 'link', 'author'].includes(name),
  })
  let entries: BloggerEntry[]
  try {
    const doc = parser.parse(xml) as { feed?: { entry?: BloggerEntry[] } }
    if (!doc.feed) throw new Error('there is no <feed> element')
    entries = doc.feed.entry ?? []
  } catch (error) {
    throw new UsageError(`${options.file} is not a Blogger export (Atom XML): ${(error as Error).message}`)
  }

  const contentDir = resolve(options.contentDir)
  const root = dirname(contentDir)
  const site = await siteSettings(contentDir)
  const turndown = converter()
  // Links from one post to another name the old blog's host: make them relative, so they follow
  // the blog to its new address. One copied from Blogger's mobile view ends in ?m=1, which no
  // longer means anything.
  const hosts = new Set<string>()
  for (const entry of entries) {
    const href = entry.link?.find((l) => l['@rel'] === 'alternate')?.['@href']
    if (href && URL.canParse(href)) hosts.add(new URL(href).host)
  }
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const ownLinks =
    hosts.size === 0 ? null : new RegExp(`(href|src)="https?://(?:${[...hosts].map(escapeRegExp).join('|')})(/[^"]*)"`, 'g')
  const result: ImportResult = { posts: [], pages: [], existing: [], moved: [], ignored: 0 }
  const written = new Set<string>()

  for (const entry of entries) {
    const kind = kindOf(entry)
    if (kind === 'other' || isDeleted(entry)) {
      result.ignored++
      continue
    }
    const title = text(entry.title) || 'Untitled'
    const draft = isDraft(entry)
    const path = bloggerPath(entry)
    const published = (entry.published ?? entry.updated ?? '').trim()
    const fileSlug = path?.split('/').pop()?.replace(/\.html$/, '') ?? ''
    const slug = SLUG.test(fileSlug) ? fileSlug : slugify(fileSlug || title)
    const html = ownLinks
      ? text(entry.content).replace(ownLinks, (_, attribute: string, path: string) => `${attribute}="${path.replace(MOBILE_VIEW, '')}"`)
      : text(entry.content)
    const markdown = turndown.turndown(html).trim()

    let file: string
    let fields: Record<string, string | string[] | boolean | undefined>
    if (kind === 'page') {
      file = join(contentDir, 'pages', `${slug}.md`)
      fields = { title }
    } else {
      const instant = parseContentDate(published, site.timeZone)
      if (Number.isNaN(instant)) {
        options.out.error(`skipped "${title}": its published date "${published}" cannot be read`)
        result.ignored++
        continue
      }
      const month = /^\/(\d{4})\/(\d{2})\//.exec(path ?? '')
      const folder = month ? `${month[1]}/${month[2]}` : monthPath(instant, site.timeZone)
      file = join(contentDir, 'posts', folder, `${slug}.md`)
      const updated = (entry.updated ?? '').trim()
      const author = authorOf(entry)
      fields = {
        title,
        date: published,
        updated: updated && Date.parse(updated) - instant > 60_000 ? updated : undefined,
        labels: labelsOf(entry),
        author: author && author !== site.author && author !== 'Unknown' ? author : undefined,
        draft,
      }
      const wouldBe = `/${monthPath(instant, site.timeZone)}/${slug}.html`
      if (path && !draft && wouldBe !== path) result.moved.push({ url: path, file: relative(root, file), wouldBe })
    }

    if (written.has(file) || (await exists(file))) {
      result.existing.push(relative(root, file))
      continue
    }
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, `${frontMatter(fields)}\n${markdown}\n`, { flag: 'wx' })
    written.add(file)
    const item = { file: relative(root, file), url: path ?? '', draft }
    if (kind === 'page') result.pages.push(item)
    else result.posts.push(item)
  }
  return result
}

export function reportImport(result: ImportResult, out: Output): void {
  const drafts = result.posts.filter((p) => p.draft).length
  out.info(
    `imported ${plural(result.posts.length, 'post')} (${plural(drafts, 'draft')}) and ${plural(result.pages.length, 'page')}`,
  )
  if (result.existing.length > 0) {
    out.info(`kept ${plural(result.existing.length, 'file')} that already existed (never overwritten):`)
    for (const file of result.existing) out.info(`  ${file}`)
  }
  if (result.ignored > 0) out.info(`left out ${plural(result.ignored, 'comment, setting or layout entry', 'comments, settings and layout entries')}`)
  for (const move of result.moved) {
    out.error(
      `${move.file}: Blogger served it at ${move.url}, but in the site's time zone its date falls in another month (${move.wouldBe}); set timeZone in content/site.yaml to the Blogger blog's, or add slug:/date: by hand`,
    )
  }
}
