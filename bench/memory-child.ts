import { PerformanceObserver } from 'node:perf_hooks'
import { buildSite } from '../src/build/build'
import { blobKey, HEAD_KEY, renderKey } from '../src/content/keys'
import { forgetDerived, readHead } from '../src/content/kv'
import { RENDERER_VERSION } from '../src/markdown/version'
import { BIG_POST_PATH, BUILT_AT, corpus } from './generate'
import { postPageApp } from './lib/post-page-app'

// Peak heap while rendering the largest post's page, in Node's V8 (workerd exposes no heap figures
// to a Worker). Run by bench/memory.ts with --expose-gc and a young generation large enough that
// no collection runs during one render: then the heap only grows, and its size right after the
// render is its peak. Prints JSON.

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const build = await buildSite(corpus(10, { bigPost: true }), { now: BUILT_AT })
const store = new Map<string, string>([[HEAD_KEY, build.headJson], ...[...build.blobs].map(([h, v]) => [blobKey(h), v] as [string, string])])
const kv = {
  get: async (key: string) => store.get(key) ?? null,
  put: async (key: string, value: string) => void store.set(key, value),
} as unknown as KVNamespace
const env = { CONTENT: kv } as unknown as Env
const after: Promise<unknown>[] = []
const ctx = { waitUntil: (task: Promise<unknown>) => after.push(task), passThroughOnException() {}, props: {} } as unknown as ExecutionContext
const bigPostHash = build.posts.find((p) => p.path === BIG_POST_PATH)?.hash ?? ''

let collections = 0
new PerformanceObserver((list) => {
  collections += list.getEntries().length
}).observe({ entryTypes: ['gc'] })

/** The page rendered from the post's Markdown: the render the route keeps is forgotten first. */
async function render(): Promise<number> {
  await Promise.all(after.splice(0))
  const key = renderKey(RENDERER_VERSION, bigPostHash)
  store.delete(key)
  forgetDerived(key)
  const res = await postPageApp.request(BIG_POST_PATH, {}, env, ctx)
  if (res.status !== 200) throw new Error(`the long post answered ${res.status}`)
  return (await res.text()).length
}

async function measure(): Promise<{ before: number; peak: number; collections: number; bytes: number }> {
  gc?.()
  await new Promise((resolve) => setTimeout(resolve, 10))
  collections = 0
  const before = process.memoryUsage().heapUsed
  const bytes = await render()
  const peak = process.memoryUsage().heapUsed
  await new Promise((resolve) => setTimeout(resolve, 10))
  return { before, peak, collections, bytes }
}

// The blobs reach the isolate's LRU first, as on a real miss after the first.
await readHead(kv)
const first = await measure()
for (let i = 0; i < 5; i++) await render()
const warm = await measure()
process.stdout.write(`${JSON.stringify({ first, warm })}\n`)
