import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import diff from 'highlight.js/lib/languages/diff'
import django from 'highlight.js/lib/languages/django'
import dockerfile from 'highlight.js/lib/languages/dockerfile'
import ini from 'highlight.js/lib/languages/ini'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import nginx from 'highlight.js/lib/languages/nginx'
import plaintext from 'highlight.js/lib/languages/plaintext'
import python from 'highlight.js/lib/languages/python'
import shell from 'highlight.js/lib/languages/shell'
import sql from 'highlight.js/lib/languages/sql'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'
import { Marked, marked, type Tokens } from 'marked'
import { markedHighlight } from 'marked-highlight'
import { clearIsolateCache, forgetDerived, keepDerived, readBlob, readDerived, readHead } from '../../src/content/kv'
import { renderKey } from '../../src/content/keys'
import { decodeRender, encodeRender, KINDS } from '../../src/content/kept-render'
import { renderedPost } from '../../src/content/rendered'
import { RENDERER_VERSION } from '../../src/markdown/version'
import { PostSchema } from '../../src/content/schema'
import { findPost } from '../../src/content/queries'
import { formatDay } from '../../src/content/time'
import { escapeHtml } from '../../src/markdown/highlight'
import { highlightCode } from '../../src/markdown/languages'
import { renderMarkdown } from '../../src/markdown/render'
import app from '../../src/worker'
import { postPageApp } from '../lib/post-page-app'

// The measuring Worker: Quire's own modules and bare `marked`, in one isolate inside workerd, timed
// with the isolate's clock (1 ms resolution in workerd, so loops of n renders). bench/run.ts calls it.

interface BenchEnv extends Env {
  C100: KVNamespace
  C10000: KVNamespace
}

// For comparison, the two highlighters on bare marked: highlight.js with the fifteen languages and
// the marked-highlight setup Quire used until it wrote its own (src/markdown/languages.ts), and
// Quire's own, called from the code renderer as render.ts does.
for (const [name, language] of Object.entries({
  bash, diff, django, dockerfile, ini, javascript, json, nginx, plaintext, python, shell, sql, typescript, xml, yaml,
})) {
  hljs.registerLanguage(name, language)
}
const withHighlightJs = new Marked(
  { gfm: true },
  markedHighlight({
    emptyLangClass: 'hljs',
    langPrefix: 'hljs language-',
    highlight: (code, lang) => hljs.highlight(code, { language: hljs.getLanguage(lang) ? lang : 'plaintext', ignoreIllegals: true }).value,
  }),
)
const withQuireHighlighter = new Marked(
  { gfm: true },
  {
    renderer: {
      code({ text, lang }: Tokens.Code) {
        const name = /^\S*/.exec(lang ?? '')?.[0] ?? ''
        return `<pre><code class="hljs language-${escapeHtml(name)}">${highlightCode(text.replace(/\n$/, ''), name)}\n</code></pre>`
      },
    },
  },
)

/** One way of rendering the post's Markdown, or the whole page; by name. */
async function renderer(what: string, env: Env, ctx: ExecutionContext, path: string, markdown: string): Promise<() => unknown> {
  switch (what) {
    case 'bare':
      return () => marked.parse(markdown, { async: false })
    case 'highlightjs':
      return () => withHighlightJs.parse(markdown, { async: false })
    case 'highlighter':
      return () => withQuireHighlighter.parse(markdown, { async: false })
    case 'markdown':
      return () => renderMarkdown(markdown)
    // The page as a reader gets it once the post has been rendered anywhere: its render is kept.
    case 'page':
    case 'kept':
      return () => renderPage(env, ctx, path)
    // The page rendered from the Markdown: what the first request for a post costs.
    // The render's key is found once, outside the timed page, which finds the post itself.
    case 'render': {
      const key = renderKey(RENDERER_VERSION, await hashOf(env, path))
      return () => {
        forgetDerived(key)
        return renderPage(env, ctx, path)
      }
    }
    // The render cache's traffic alone, as the route makes it when the post has no render kept: the
    // read that misses, then the write of the render (awaited here, where the route leaves it to
    // waitUntil). What "render" spends beyond rendering, on KV, so that later pages need not.
    case 'cache-io': {
      const hash = await hashOf(env, path)
      const key = renderKey(RENDERER_VERSION, hash)
      const rendered = await renderedPost(env.CONTENT, hash, () => {})
      return async () => {
        forgetDerived(key)
        const [found] = await readDerived(env.CONTENT, [key], KINDS.post.kept, decodeRender)
        if (found) throw new Error(`the render cache holds "${key}": cache-io would not time a miss`)
        await keepDerived(env.CONTENT, key, rendered, encodeRender)()
      }
    }
    // The first request for the page in a fresh isolate, as production takes it: the whole Worker
    // (its middleware, the edge cache missing, the head, the shard and the kept render read from
    // KV, the layout). `/prepare` reads nothing for it.
    case 'app':
      return async () => {
        const res = await app.fetch(new Request(`https://bench.example.com${path}?bench-miss=${++misses}`), env, ctx)
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
      }
    // The post's date as the article shows it, from the timestamp the publisher stored.
    case 'date':
      return async () => {
        const head = await readHead(env.CONTENT)
        if (!head) throw new Error('nothing is published in CONTENT')
        const found = await findPost(env.CONTENT, head, path, Date.now())
        return formatDay(found?.summary.date ?? '', head.site.timeZone)
      }
    default:
      throw new Error(`nothing to render called "${what}"`)
  }
}

async function hashOf(env: Env, path: string): Promise<string> {
  const head = await readHead(env.CONTENT)
  if (!head) throw new Error('nothing is published in CONTENT')
  const found = await findPost(env.CONTENT, head, path, Date.now())
  if (!found) throw new Error(`no post at ${path}`)
  return found.summary.hash
}

async function markdownOf(env: Env, path: string): Promise<string> {
  return (await readBlob(env.CONTENT, await hashOf(env, path), PostSchema)).markdown
}

async function renderPage(env: Env, ctx: ExecutionContext, path: string): Promise<number> {
  const res = await postPageApp.request(path, {}, env, ctx)
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
  return (await res.text()).length
}

/** Makes each latency request a page no cache in the isolate has seen. */
let misses = 0

/** Runs `task` n times and returns the mean time of one run, in ms. */
async function timed(n: number, task: () => unknown): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < n; i++) await task()
  return (performance.now() - started) / n
}

/** The characters of what a read gave: a value, a bulk read's values, or getWithMetadata's value. */
function charsRead(result: unknown): number {
  if (typeof result === 'string') return result.length
  if (result instanceof Map) return [...result.values()].reduce((n: number, v) => n + charsRead(v), 0)
  if (result && typeof result === 'object' && 'value' in result) return charsRead(result.value)
  return 0
}

/**
 * A KV binding that counts the calls made through it, under `keys` the keys its reads name and
 * under `chars` the characters they gave.
 */
function counting(kv: KVNamespace): { kv: KVNamespace; calls: Record<string, number> } {
  const calls: Record<string, number> = {}
  const proxy = new Proxy(kv, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls[String(prop)] = (calls[String(prop)] ?? 0) + 1
        const result = value.apply(target, args)
        if (prop !== 'get' && prop !== 'getWithMetadata') return result
        calls.keys = (calls.keys ?? 0) + (Array.isArray(args[0]) ? args[0].length : 1)
        return Promise.resolve(result).then((read: unknown) => {
          calls.chars = (calls.chars ?? 0) + charsRead(read)
          return read
        })
      }
    },
  })
  return { kv: proxy, calls }
}

function corpusEnv(env: BenchEnv, name: string | undefined): Env {
  if (name === 'C100') return { ...env, CONTENT: env.C100 }
  if (name === 'C10000') return { ...env, CONTENT: env.C10000 }
  return env
}

export default {
  async fetch(request: Request, env: BenchEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url)
    const q = (name: string) => url.searchParams.get(name) ?? ''
    const n = Number(q('n') || 1)
    const path = q('path')
    try {
      switch (url.pathname) {
        // P2, warm: one of bare marked.parse, Quire's Markdown module, the whole post page.
        case '/render': {
          const markdown = await markdownOf(env, path)
          await renderPage(env, ctx, path)
          return Response.json({ ms: await timed(n, await renderer(q('what'), env, ctx, path, markdown)) })
        }
        // P2, cold: read the post into the isolate's caches, rendering nothing, so that `/first`
        // renders with its data already in memory.
        case '/prepare': {
          if (q('what') === 'app') return Response.json({ ok: true })
          await markdownOf(env, path)
          // A kept render read from KV, as a new isolate would, when there is one.
          if (q('what') === 'kept') await renderedPost(env.CONTENT, await hashOf(env, path), () => {})
          return Response.json({ ok: true })
        }
        // P2: the render the Worker keeps in KV for the post, as the key and value it writes.
        case '/kept-render': {
          const hash = await hashOf(env, path)
          const rendered = await renderedPost(env.CONTENT, hash, () => {})
          return Response.json({ key: renderKey(RENDERER_VERSION, hash), value: encodeRender(rendered) })
        }
        // P2, cold: the first render in this isolate, once per fresh workerd process, after
        // `/prepare`; the KV reads happen before the clock starts, so only rendering is timed.
        case '/first': {
          const markdown = q('what') === 'app' ? '' : await markdownOf(env, path)
          const render = await renderer(q('what'), env, ctx, path, markdown)
          const started = performance.now()
          await render()
          return Response.json({ ms: performance.now() - started })
        }
        // Markdown sent in the body: for the pathological inputs and for profiling.
        case '/markdown': {
          const markdown = await request.text()
          const task = q('what') === 'bare' ? () => marked.parse(markdown, { async: false }) : () => renderMarkdown(markdown)
          return Response.json({ ms: await timed(n, task) })
        }
        // P3: KV calls one request makes through the whole Worker, from a cold isolate, uncached.
        // The work the page leaves for after its response (keeping a render) is awaited here, so
        // that a second call finds what the first kept.
        case '/reads': {
          clearIsolateCache()
          const { kv, calls } = counting(corpusEnv(env, q('corpus')).CONTENT)
          const after: Promise<unknown>[] = []
          const collecting = { waitUntil: (task: Promise<unknown>) => after.push(task), passThroughOnException() {}, props: {} }
          const res = await app.fetch(new Request(`https://bench.example.com${path}`), { ...env, CONTENT: kv }, collecting as unknown as ExecutionContext)
          await res.arrayBuffer()
          await Promise.all(after)
          return Response.json({ status: res.status, calls })
        }
        // P3: latency of one uncached request through the whole Worker. `l1=cold` empties the
        // isolate's head memo and LRUs first, so every KV read the page needs happens; otherwise
        // the head and blobs stay in memory. Either way a query parameter of its own makes every
        // request miss the isolate's rendered pages and the edge cache, so every one renders.
        case '/latency': {
          const target = corpusEnv(env, q('corpus'))
          const cold = q('l1') === 'cold'
          const one = async () => {
            if (cold) clearIsolateCache()
            const url = `https://bench.example.com${path}${path.includes('?') ? '&' : '?'}bench-miss=${++misses}`
            const res = await app.fetch(new Request(url), target, ctx)
            await res.arrayBuffer()
            if (res.status >= 500) throw new Error(`${path} answered ${res.status}`)
          }
          await one()
          return Response.json({ ms: await timed(n, one) })
        }
        case '/ready':
          return new Response('ready')
        default:
          return new Response('unknown bench endpoint', { status: 404 })
      }
    } catch (error) {
      return Response.json({ error: String((error as Error)?.stack ?? error) }, { status: 500 })
    }
  },
} satisfies ExportedHandler<BenchEnv>
