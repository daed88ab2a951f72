// The CLI as one esbuild bundle of src/cli and the packages it imports, kept in
// node_modules/.cache/quire-cli and made again whenever one of its source files or
// package-lock.json changes. Starting through tsx's loader hooks cost about half a second a run
// (every module compiled on the loader's thread and handed back), more than the whole build of a
// small blog; importing the packages from node_modules, file by file, about 90 ms more than from
// the bundle. Plain JavaScript, because it runs before anything can load TypeScript; without
// esbuild, or when bundling fails, the caller falls back to tsx.

import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const CLI_DIR = dirname(fileURLToPath(import.meta.url))
const PROJECT_ROOT = resolve(CLI_DIR, '..', '..')
/** The CLI's entry points: each becomes `<name>.mjs` in the bundle's directory. */
const ENTRIES = { main: join(CLI_DIR, 'main.ts'), start: join(CLI_DIR, 'start.ts'), 'build-worker': join(CLI_DIR, 'build-worker.ts') }
/** What the packages in the bundle are: an install that changes them changes this file. */
const LOCKFILE = 'package-lock.json'
/** Bundles older than this, other than the current one, are removed when a new one is made. */
const KEEP_OLD_MS = 24 * 3600 * 1000

const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex')

/**
 * The directory of a bundle made from the current sources, made now if there is none; null if it
 * cannot be made (no esbuild, or the sources do not bundle).
 */
export async function currentBundle(cacheDir = join(PROJECT_ROOT, 'node_modules', '.cache', 'quire-cli')) {
  const manifest = readManifest(cacheDir)
  if (manifest && sourcesUnchanged(manifest) && hasEntries(join(cacheDir, manifest.dir))) return join(cacheDir, manifest.dir)
  try {
    return await makeBundle(cacheDir)
  } catch {
    return null
  }
}

function readManifest(cacheDir) {
  try {
    return JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8'))
  } catch {
    return null
  }
}

// A bundle made before an entry was added lacks it, though none of its sources changed.
const hasEntries = (dir) => Object.keys(ENTRIES).every((name) => existsSync(join(dir, `${name}.mjs`)))

// Contents, not modification times: a checkout or a copy can give an edited file an old time.
function sourcesUnchanged(manifest) {
  try {
    return Object.entries(manifest.inputs).every(([path, hash]) => hashOf(readFileSync(resolve(PROJECT_ROOT, path))) === hash)
  } catch {
    return false
  }
}

async function makeBundle(cacheDir) {
  const esbuild = await import('esbuild')
  mkdirSync(cacheDir, { recursive: true })
  // Several processes may bundle at once (tests do): each writes its own directory, and the
  // manifest that names one is replaced in one rename.
  const scratch = join(cacheDir, `tmp-${randomUUID()}`)
  try {
    const result = await esbuild.build({
      entryPoints: ENTRIES,
      outdir: scratch,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // The packages' CommonJS asks for Node's modules with require, which ES modules lack.
      banner: { js: "import { createRequire as quireCreateRequire } from 'node:module'; const require = quireCreateRequire(import.meta.url);" },
      // Modules a command imports when it runs (import's Turndown, say) stay out of the others' start.
      splitting: true,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
    })
    const inputs = {}
    const sources = Object.keys(result.metafile.inputs).map((path) => relative(PROJECT_ROOT, resolve(path)))
    for (const path of [...sources.filter((path) => !path.startsWith('node_modules')), LOCKFILE].sort()) {
      inputs[path] = hashOf(readFileSync(resolve(PROJECT_ROOT, path)))
    }
    const dir = `bundle-${hashOf(JSON.stringify(inputs)).slice(0, 16)}`
    const target = join(cacheDir, dir)
    try {
      renameSync(scratch, target)
    } catch {
      // Another process made the same bundle first; or a broken one is in the way, which goes.
      if (!hasEntries(target)) {
        rmSync(target, { recursive: true, force: true })
        renameSync(scratch, target)
      }
      rmSync(scratch, { recursive: true, force: true })
    }
    const manifestTemp = join(cacheDir, `manifest-${randomUUID()}.json`)
    writeFileSync(manifestTemp, JSON.stringify({ dir, inputs }))
    renameSync(manifestTemp, join(cacheDir, 'manifest.json'))
    removeOldBundles(cacheDir, dir)
    return join(cacheDir, dir)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

// A process that started on an older bundle may still start build workers from it: keep a day's.
function removeOldBundles(cacheDir, current) {
  for (const name of readdirSync(cacheDir)) {
    if (name === current || !name.startsWith('bundle-')) continue
    const path = join(cacheDir, name)
    if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true })
  }
}

/**
 * One of the CLI's entry modules (`main`, or `start` for `npm start`): from the bundle when there is
 * one, otherwise the sources through tsx.
 */
export async function loadCli(cacheDir, entry = 'main') {
  const bundle = await currentBundle(cacheDir)
  if (bundle) return import(pathToFileURL(join(bundle, `${entry}.mjs`)).href)
  const { register } = await import('tsx/esm/api')
  register()
  return import(pathToFileURL(ENTRIES[entry]).href)
}
