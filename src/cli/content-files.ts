import { type Dirent, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { ContentFiles, SourceFile } from '../build/build'

// Read synchronously: thousands of small files at once through the thread pool (open, stat, read,
// close, each a round trip) took ten times as long as reading them one after another.

function markdownFiles(dir: string): string[] {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/** The files `content/` holds: the site settings, then posts and pages, each sorted. */
export function contentPaths(contentDir: string): { site: string; posts: string[]; pages: string[] } {
  return {
    site: join(contentDir, 'site.yaml'),
    posts: markdownFiles(join(contentDir, 'posts')),
    pages: markdownFiles(join(contentDir, 'pages')),
  }
}

/** Reads one file; its path in errors is relative to `root`. */
export function readSourceFile(file: string, root: string): SourceFile {
  return { path: relative(root, file).split(sep).join('/'), text: readFileSync(file, 'utf8') }
}

/** Reads `content/` into the build's input; paths in errors are relative to `root`. */
export async function readContentFiles(contentDir: string, root = process.cwd()): Promise<ContentFiles> {
  const paths = contentPaths(contentDir)
  const load = (file: string) => readSourceFile(file, root)
  return { site: load(paths.site), posts: paths.posts.map(load), pages: paths.pages.map(load) }
}
