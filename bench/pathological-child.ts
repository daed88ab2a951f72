import { marked } from 'marked'
import { renderMarkdown } from '../src/markdown/render'
import { pathologicalInputs } from './generate'

// One pathological input, rendered by bare marked or by Quire's Markdown module (`bare` or `quire`),
// in a process of its own so that a hang or a crash costs only this input and this renderer.
// Prints JSON.

const [name, which] = process.argv.slice(2)
const input = pathologicalInputs().find((i) => i.name === name)
if (!input) throw new Error(`no pathological input named "${name}"`)
if (which !== 'bare' && which !== 'quire') throw new Error('say which renderer: bare or quire')

function time(render: () => string): { ms: number; error?: string } {
  const started = performance.now()
  try {
    render()
    return { ms: performance.now() - started }
  } catch (error) {
    return { ms: performance.now() - started, error: `${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`.slice(0, 80) }
  }
}

const render = which === 'bare' ? () => marked.parse(input.markdown, { async: false }) as string : () => renderMarkdown(input.markdown).html
process.stdout.write(`${JSON.stringify({ bytes: input.markdown.length, ...time(render) })}\n`)
