import { readBlob, readBlobs } from './kv'
import { archiveShardsFor, isLive, monthOfPath } from './queries'
import { type Head, type PostSummary, type SearchBucket, SearchBucketSchema, SearchDirectorySchema, ShardSchema } from './schema'
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
 * Live posts that match every term of `query`, best first. After the head, two bulk reads: the
 * buckets of the terms, then the archive shards of the posts shown (a bound set by the page, not the
 * blog). A head from before the directory moved into it costs one read more.
 */
export async function searchPosts(
  kv: KVNamespace,
  head: Head,
  query: string,
  options: { now: number; offset: number; limit: number },
): Promise<SearchResults> {
  const terms = [...new Set(searchTerms(query))].slice(0, MAX_TERMS)
  if (terms.length === 0) return { terms, posts: [], total: 0 }
  const directory = typeof head.search === 'string' ? await readBlob(kv, head.search, SearchDirectorySchema) : head.search
  const count = directory.buckets.length
  const buckets = await readBlobs(
    kv,
    terms.map((term) => directory.buckets[bucketOf(term, count)] ?? ''),
    SearchBucketSchema,
  )
  // Own keys only: a search for "constructor" must not find Object.prototype's.
  const postings = terms.map((term, i) => {
    const bucket = buckets[i] as SearchBucket
    return new Map(Object.hasOwn(bucket, term) ? bucket[term] : [])
  })
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

  const shardHashes = new Set(shown.flatMap(({ path }) => archiveShardsFor(head, monthOfPath(path))[0]?.hash ?? []))
  const summaries = new Map<string, PostSummary>()
  for (const shard of await readBlobs(kv, [...shardHashes], ShardSchema)) for (const post of shard.posts) summaries.set(post.path, post)
  const posts = shown.flatMap(({ path }) => summaries.get(path) ?? [])
  return { terms, posts, total: scored.length }
}
