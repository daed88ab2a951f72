import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RENDERER_VERSION } from '../../src/markdown/version'

// Renders are kept in KV under RENDERER_VERSION. If the Markdown module or a library it renders
// with changes and the version does not, readers would get renders of the old code for a month.

const ROOT = join(import.meta.dirname, '..', '..')
const LIBRARIES = ['marked', 'marked-gfm-heading-id', 'xss', 'cssfilter']

/** render.ts and every module of src/markdown it imports, directly or not: what makes a render. */
function rendererSources(): string[] {
  const dir = join(ROOT, 'src', 'markdown')
  const found = new Set<string>()
  const visit = (file: string) => {
    if (found.has(file)) return
    found.add(file)
    for (const [, name] of readFileSync(join(dir, file), 'utf8').matchAll(/from '\.\/([\w-]+)'/g)) visit(`${name}.ts`)
  }
  visit('render.ts')
  return [...found].sort()
}

function rendererFingerprint(): string {
  const hash = createHash('sha256')
  const dir = join(ROOT, 'src', 'markdown')
  for (const file of rendererSources()) hash.update(`${file}\n`).update(readFileSync(join(dir, file)))
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> }
  for (const name of LIBRARIES) {
    const version = lock.packages[`node_modules/${name}`]?.version
    if (!version) throw new Error(`package-lock.json has no ${name}`)
    hash.update(`${name}@${version}\n`)
  }
  return hash.digest('hex').slice(0, 8)
}

describe('the renderer version', () => {
  it('covers the modules a render is made of', () => {
    expect(rendererSources()).toEqual(['ascii.ts', 'emphasis.ts', 'entities.ts', 'footnotes.ts', 'highlight.ts', 'languages.ts', 'render.ts', 'sanitize.ts'])
  })

  it('changes whenever the Markdown module or its libraries do', () => {
    const fingerprint = rendererFingerprint()
    expect(
      RENDERER_VERSION,
      `the Markdown renderer (src/markdown/render.ts and what it imports) or a library it renders with changed: set RENDERER_VERSION in src/markdown/version.ts to '${fingerprint}'`,
    ).toBe(fingerprint)
  })
})
