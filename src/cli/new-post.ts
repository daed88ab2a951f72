import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { slugFromFile } from '../build/build'
import { ContentError, ContentErrors } from '../build/errors'
import { parseFrontMatter, parseYamlMapping } from '../build/frontmatter'
import { isTimeZone, monthPath, toZonedIso } from '../content/time'
import { readContentFiles } from './content-files'
import { UsageError } from './errors'

// new: a post file with its front matter filled in, dated now on the site's clock.

export interface NewPostOptions {
  contentDir: string
  title: string
  labels?: string[]
  draft?: boolean
  now?: number
}

const MAX_SLUG = 80

/** Writes the post and returns its path, relative to the content directory's parent. */
export async function newPost(options: NewPostOptions): Promise<string> {
  const title = options.title.trim()
  if (!title) throw new UsageError('the title must not be empty, e.g. quire new "Notes on Django 6"')
  const dir = resolve(options.contentDir)
  const root = dirname(dir)
  const timeZone = await siteTimeZone(dir, root)
  const now = options.now ?? Date.now()
  const taken = await takenSlugs(dir, root)
  const base = slugify(title)
  const labels = (options.labels ?? []).map((label) => label.trim()).filter(Boolean)
  const text = [
    '---',
    `title: ${JSON.stringify(title)}`,
    `date: ${toZonedIso(now, timeZone)}`,
    ...(labels.length > 0 ? [`labels: [${labels.map((label) => JSON.stringify(label)).join(', ')}]`] : []),
    ...(options.draft ? ['draft: true'] : []),
    '---',
    '',
    '',
  ].join('\n')
  const monthDir = join(dir, 'posts', ...monthPath(now, timeZone).split('/'))
  await mkdir(monthDir, { recursive: true })
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`
    if (taken.has(slug)) continue
    const file = join(monthDir, `${slug}.md`)
    try {
      // `wx`: never overwrite, even a file that appeared since the slugs were read.
      await writeFile(file, text, { flag: 'wx' })
      return relative(root, file).split(sep).join('/')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}

/** `Notes on Django 5.1: what's new?` → `notes-on-django-5-1-what-s-new`. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length <= MAX_SLUG) return slug || 'post'
  const cut = slug.slice(0, MAX_SLUG)
  return cut.slice(0, cut.lastIndexOf('-') > 20 ? cut.lastIndexOf('-') : MAX_SLUG).replace(/-+$/, '')
}

async function siteTimeZone(dir: string, root: string): Promise<string> {
  const path = join(dir, 'site.yaml')
  const shown = relative(root, path).split(sep).join('/')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new UsageError(`there is no ${shown}: run quire from the project's directory, or pass --content DIR`)
  }
  const errors: ContentError[] = []
  const zone = parseYamlMapping(shown, text, errors)?.data.timeZone ?? 'UTC'
  if (typeof zone !== 'string' || !isTimeZone(zone)) {
    errors.push(new ContentError(shown, 'must be an IANA time zone such as Europe/Paris', { field: 'timeZone' }))
  }
  if (errors.length > 0) throw new ContentErrors(errors)
  return zone as string
}

/** Slugs of every post, by file name and by `slug:`: a new slug is unique across the blog. */
async function takenSlugs(dir: string, root: string): Promise<Set<string>> {
  const files = await readContentFiles(dir, root)
  const taken = new Set<string>()
  for (const file of files.posts) {
    const fromName = slugFromFile(file.path) ?? file.path.split('/').pop()?.replace(/\.(md|markdown)$/i, '')
    if (fromName) taken.add(fromName)
    const slug = parseFrontMatter(file.path, file.text, [])?.data.slug
    if (typeof slug === 'string') taken.add(slug)
  }
  return taken
}
