import { type Dirent, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { ContentFiles, SourceFile } from '../build/build'
import type { SourceImage } from '../build/images'

// Read synchronously: thousands of small files at once through the thread pool (open, stat, read,
// close, each a round trip) took ten times as long as reading them one after another.

/** The files under `dir` whose names `keep` keeps, sorted; none if there is no `dir`. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return entries
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

const markdownFiles = (dir: string): string[] => filesUnder(dir, (name) => /\.(md|markdown)$/i.test(name))

/** The files `content/` holds: the site settings, then posts, pages and images, each sorted. */
export function contentPaths(contentDir: string): { site: string; posts: string[]; pages: string[]; images: string[] } {
  return {
    site: join(contentDir, 'site.yaml'),
    posts: markdownFiles(join(contentDir, 'posts')),
    pages: markdownFiles(join(contentDir, 'pages')),
    // Every file but the hidden ones a file manager leaves (.DS_Store): the build names any that is no image.
    images: filesUnder(join(contentDir, 'images'), (name) => !name.startsWith('.')),
  }
}

/** `file` relative to `from`, with `/` between folders on every system. */
const relativePath = (from: string, file: string): string => relative(from, file).split(sep).join('/')

/** Reads one file; its path in errors is relative to `root`. */
export function readSourceFile(file: string, root: string): SourceFile {
  return { path: relativePath(root, file), text: readFileSync(file, 'utf8') }
}

/** Reads one image under `contentDir`/images; its path in errors is relative to `root`. */
export function readSourceImage(file: string, contentDir: string, root: string): SourceImage {
  return { path: relativePath(root, file), name: relativePath(join(contentDir, 'images'), file), data: readFileSync(file).toString('base64') }
}

/** Reads `content/` into the build's input; paths in errors are relative to `root`. */
export async function readContentFiles(contentDir: string, root = process.cwd()): Promise<ContentFiles> {
  const paths = contentPaths(contentDir)
  const load = (file: string) => readSourceFile(file, root)
  return {
    site: load(paths.site),
    posts: paths.posts.map(load),
    pages: paths.pages.map(load),
    images: paths.images.map((file) => readSourceImage(file, contentDir, root)),
  }
}
