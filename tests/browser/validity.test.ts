import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { origin, PAGES, type PageName } from './chromium'

// The W3C Nu HTML checker (vnu.jar, from the vnu-jar package) run on the pages as the Worker serves
// them, and on the stylesheet and favicon they link. It runs on the system's Java: the package's
// own fallback would download a runtime, which this project never does.

const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'))

interface VnuMessage {
  type: 'error' | 'info' | 'non-document-error'
  subType?: string
  url: string
  lastLine?: number
  message: string
  extract?: string
}

let dir: string
const files = new Map<string, string>()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quire-vnu-'))
  for (const name of Object.keys(PAGES) as PageName[]) {
    const html = await (await fetch(`${origin()}${PAGES[name]}`)).text()
    files.set(`${name}.html`, html)
    if (name === 'home') {
      for (const [pattern, file] of [
        [/<link rel="stylesheet" href="([^"]+)"/, 'style.css'],
        [/<link rel="icon" href="([^"]+)"/, 'favicon.svg'],
      ] as const) {
        const path = html.match(pattern)?.[1]
        if (!path) throw new Error(`the home page links no ${file}`)
        files.set(file, await (await fetch(`${origin()}${path}`)).text())
      }
    }
  }
  for (const [file, text] of files) await writeFile(join(dir, file), text)
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the Nu HTML checker', () => {
  it('finds no errors or warnings in the pages, the stylesheet or the favicon', async () => {
    const paths = [...files.keys()].map((file) => join(dir, file))
    // vnu reports on stderr, and exits non-zero when it finds errors; the report says which.
    const { stderr } = await promisify(execFile)(
      'java',
      ['-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', '--also-check-css', '--also-check-svg', ...paths],
      { maxBuffer: 16 * 1024 * 1024 },
    )
    const { messages } = JSON.parse(stderr) as { messages: VnuMessage[] }
    // Plain info messages are advice, such as hono/jsx's `<meta ... />` ("trailing slash on void
    // elements has no effect"); errors and warnings are not.
    const problems = messages.filter((m) => m.type !== 'info' || m.subType === 'warning').map((m) => `${m.type}${m.subType ? `/${m.subType}` : ''} ${m.url.split('/').at(-1)}:${m.lastLine ?? '?'} ${m.message} ${m.extract ? `«${m.extract.trim()}»` : ''}`)
    expect(problems).toEqual([])
  })
})
