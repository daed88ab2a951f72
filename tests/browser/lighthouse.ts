import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { readContentFiles } from '../../src/cli/content-files'
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium'
import { startServer } from './server'

// Lighthouse 12.2.3 (13 needs Node 22) in Debian's Chromium, against wrangler dev serving the
// sample content: the home page and the longest post, with Lighthouse's default mobile settings
// (simulated slow 4G and a 4x slower CPU). On demand, not part of the test suite:
//   node --import tsx tests/browser/lighthouse.ts
// Reports land in test-results/lighthouse/.

const LIGHTHOUSE = 'lighthouse@12.2.3'
const OUT = join('test-results', 'lighthouse')
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const

async function longestPost(): Promise<string> {
  const { posts } = await readContentFiles('content')
  const live = posts.filter((p) => !/^draft:\s*true\s*$/m.test(p.text))
  const longest = live.reduce((a, b) => (b.text.length > a.text.length ? b : a))
  const match = longest.path.match(/posts\/(\d{4})\/(\d{2})\/([^/]+)\.md$/)
  if (!match) throw new Error(`cannot tell the URL of ${longest.path}`)
  return `/${match[1]}/${match[2]}/${match[3]}.html`
}

async function audit(url: string, name: string): Promise<Record<string, number>> {
  const profile = await mkdtemp(join(tmpdir(), 'quire-lighthouse-'))
  const report = join(OUT, `${name}.json`)
  try {
    await promisify(execFile)(
      'npx',
      [
        '--yes',
        LIGHTHOUSE,
        url,
        '--quiet',
        `--only-categories=${CATEGORIES.join(',')}`,
        '--output=json',
        '--output=html',
        `--output-path=${join(OUT, name)}`,
        `--chrome-flags=--headless=new ${CHROMIUM_FLAGS.join(' ')} --user-data-dir=${profile}`,
      ],
      { env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 64 * 1024 * 1024 },
    )
  } finally {
    await rm(profile, { recursive: true, force: true })
  }
  const result = JSON.parse(await readFile(report.replace(/\.json$/, '.report.json'), 'utf8'))
  return Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(result.categories[c].score * 100)]))
}

await mkdir(OUT, { recursive: true })
const server = await startServer()
try {
  const pages = [
    ['home', '/'],
    ['longest-post', await longestPost()],
  ] as const
  for (const [name, path] of pages) {
    const scores = await audit(`${server.origin}${path}`, name)
    console.log(`${path}  ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(' / ')}`)
  }
} finally {
  await server.stop()
}
