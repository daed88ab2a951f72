import { readBlob } from './kv'
import { archiveShardsFor, isLive, monthOfPath } from './queries'
import { type Head, type PostSummary, SearchBucketSchema, SearchDirectorySchema, ShardSchema } from './schema'
import { bucketOf, searchTerms } from './terms'

/** More terms than this add little and cost a read each. */
const MAX_TERMS = 5

export interface SearchResults {
  terms: string[]
  posts: PostSummary[]
  /** How many live posts match in all. */
  total: number
}

/**
 * Live posts that match every term of `query`, best first. Reads the index's directory, one bucket
 * per term, and the archive shards of the posts shown: a bound set by the page, not the blog.
 */
export async function searchPosts(
  kv: KVNamespace,
  head: Head,
  query: string,
  options: { now: number; offset: number; limit: number },
): Promise<SearchResults> {
  const terms = [...new Set(searchTerms(query))].slice(0, MAX_TERMS)
  if (terms.length === 0) return { terms, posts: [], total: 0 }
  const directory = await readBlob(kv, head.search, SearchDirectorySchema)
  const count = directory.buckets.length
  const postings = await Promise.all(
    terms.map(async (term) => {
      const bucket = await readBlob(kv, directory.buckets[bucketOf(term, count)] ?? '', SearchBucketSchema)
      // Own keys only: a search for "constructor" must not find Object.prototype's.
      return new Map(Object.hasOwn(bucket, term) ? bucket[term] : [])
    }),
  )
  const pending = new Set(head.scheduled.filter((s) => !isLive(s.date, options.now)).map((s) => s.path))
  const [first, ...rest] = postings
  const scored: { path: string; score: number }[] = []
  for (const [id, weight] of first ?? []) {
    const path = `/${id}.html`
    if (pending.has(path) || !rest.every((p) => p.has(id))) continue
    scored.push({ path, score: rest.reduce((sum, p) => sum + (p.get(id) ?? 0), weight) })
  }
  // Best first; among equals, the newer month, as the path starts with it.
  scored.sort((a, b) => b.score - a.score || (a.path < b.path ? 1 : -1))
  const shown = scored.slice(options.offset, options.offset + options.limit)

  const shards = new Map<string, Promise<PostSummary[]>>()
  for (const { path } of shown) {
    const ref = archiveShardsFor(head, monthOfPath(path))[0]
    if (ref && !shards.has(ref.hash)) shards.set(ref.hash, readBlob(kv, ref.hash, ShardSchema).then((s) => s.posts))
  }
  const summaries = new Map<string, PostSummary>()
  for (const posts of await Promise.all(shards.values())) for (const post of posts) summaries.set(post.path, post)
  const posts = shown.flatMap(({ path }) => summaries.get(path) ?? [])
  return { terms, posts, total: scored.length }
}
