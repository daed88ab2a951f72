import { marked } from 'marked'
import { renderMarkdown } from '../src/markdown/render'
import { pathologicalInputs } from './generate'

// One pathological input, rendered by bare marked and by Quire's Markdown module, in a process of
// its own so that a hang or a crash costs only this input. Prints JSON.

const name = process.argv[2]
const input = pathologicalInputs().find((i) => i.name === name)
if (!input) throw new Error(`no pathological input named "${name}"`)

function time(render: () => string): { ms: number; error?: string } {
  const started = performance.now()
  try {
    render()
    return { ms: performance.now() - started }
  } catch (error) {
    return { ms: performance.now() - started, error: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 80) }
  }
}

const bare = time(() => marked.parse(input.markdown, { async: false }) as string)
const quire = time(() => renderMarkdown(input.markdown).html)
process.stdout.write(`${JSON.stringify({ bytes: input.markdown.length, bare, quire })}\n`)
