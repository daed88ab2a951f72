import { join } from 'node:path'
import { type Build, buildSite } from '../../src/build/build'
import { BIG_POST_PATH, BUILT_AT, corpus } from '../generate'
import { writeKvDir } from './kvdir'
import { ROOT } from './procs'

// The corpora the Worker benchmarks read, built with the publisher's own build function and written
// as KV directories for workerd.

export const RESULTS = join(ROOT, 'bench', 'results')

export interface Corpus {
  name: string
  build: Build
  kvDir: string
}

/**
 * A corpus built and written as KV. `renders`: with the renders `quire publish` keeps, as a reader
 * finds them after a publish; without, as after a deploy that changed the renderer (P2 times the
 * Markdown render, so its long post has none).
 */
export async function prepareCorpus(name: string, count: number, options: { bigPost?: boolean; renders?: boolean } = {}): Promise<Corpus> {
  const build = await buildSite(corpus(count, { bigPost: options.bigPost ?? false }), { now: BUILT_AT })
  const kvDir = join(RESULTS, 'kv', name)
  await writeKvDir(build, kvDir, { renders: options.renders })
  return { name, build, kvDir }
}

/** A typical post of the corpus: the one in the middle, by date. */
export function middlePost(build: Build) {
  const post = build.posts[Math.floor(build.posts.length / 2)]
  if (!post) throw new Error('the corpus is empty')
  return post
}

export { BIG_POST_PATH }

/**
 * One URL per page type, chosen the same way in every corpus, so that 100 and 10,000 posts answer
 * the same question: the newest posts, older pages near and far, a post, a month, a year, a label
 * near and deep, a static page, the feed, and misses.
 */
export function pageTypes(build: Build): { type: string; path: string; status?: number }[] {
  const middle = middlePost(build)
  const newest = build.posts[0]
  const seventh = build.posts[Math.min(6, build.posts.length - 1)]
  if (!newest || !seventh) throw new Error('the corpus is empty')
  const enc = encodeURIComponent
  return [
    { type: 'home', path: '/' },
    { type: 'older posts', path: `/search?updated-max=${enc(seventh.date)}&max-results=7` },
    { type: 'older posts, deep', path: `/search?updated-max=${enc(middle.date)}&max-results=20` },
    { type: 'post', path: middle.path },
    { type: 'newest post', path: newest.path },
    { type: 'month', path: middle.path.slice(0, 9) },
    { type: 'year', path: `${middle.path.slice(0, 6)}` },
    { type: 'label', path: '/search/label/Django' },
    { type: 'label, deep', path: `/search/label/Django?updated-max=${enc(middle.date)}` },
    { type: 'search', path: '/search?q=cache' },
    { type: 'static page', path: '/p/about.html' },
    { type: 'feed', path: '/feeds/posts/default' },
    { type: '404 post', path: `${middle.path.slice(0, 9)}no-such-post.html`, status: 404 },
    { type: 'unknown URL', path: '/nothing/here', status: 404 },
  ]
}
