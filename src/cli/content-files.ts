import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { ContentFiles, SourceFile } from '../build/build'

async function markdownFiles(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/** Reads `content/` into the build's input; paths in errors are relative to `root`. */
export async function readContentFiles(contentDir: string, root = process.cwd()): Promise<ContentFiles> {
  const load = async (file: string): Promise<SourceFile> => ({
    path: relative(root, file).split(sep).join('/'),
    text: await readFile(file, 'utf8'),
  })
  const sitePath = join(contentDir, 'site.yaml')
  return {
    site: await load(sitePath),
    posts: await Promise.all((await markdownFiles(join(contentDir, 'posts'))).map(load)),
    pages: await Promise.all((await markdownFiles(join(contentDir, 'pages'))).map(load)),
  }
}
