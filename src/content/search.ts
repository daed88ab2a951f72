import * as v from 'valibot'
import { readBlob, readBlobs } from './kv'
import { StoredShard } from './stored-shard'
import { isLive, summariesAt } from './queries'
import { type Head, type PostSummary, type SearchBucket, SearchBucketSchema, type SearchDirectory, SearchDirectorySchema } from './schema'
import { bucketPostings, countPostings, decodePostings, hasPosting, postingId, postingPath, type StoredPostings, termBlobResults } from './postings'
import { bucketOf, searchTerms } from './terms'

/** A common term's blob of its own: its bucket of one line, and the summaries of its first results. */
class TermBlob {
  constructor(
    readonly bucket: string,
    readonly results: StoredShard,
  ) {}
}

/**
 * A bucket's text as it is, a common term's blob with its first results read once (the isolate
 * keeps what this returns), or an older index's JSON bucket parsed.
 */
function decodeBucket(text: string, key: string): unknown {
  if (text.startsWith('{')) return JSON.parse(text)
  const results = termBlobResults(text)
  return results === null ? text : new TermBlob(text, new StoredShard(results, key))
}

const StoredBucketSchema = v.union([SearchBucketSchema, v.instance(TermBlob)])

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
 * buckets of the terms (or a common term's blob of its own), then the archive shards of the posts
 * shown (a bound set by the page, not the blog), but for those a common term's blob summarises: a
 * first page of one common word reads no shard. A head from before the directory moved into it
 * costs one read more.
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
    terms.map((term) => ownBlob(directory, term) ?? directory.buckets[bucketOf(term, count)] ?? ''),
    StoredBucketSchema,
    decodeBucket,
  )
  const stored = terms.map((term, i) => {
    const bucket = buckets[i] as SearchBucket | TermBlob
    if (typeof bucket === 'string') return bucketPostings(bucket, term)
    if (bucket instanceof TermBlob) return bucketPostings(bucket.bucket, term)
    // Own keys only: a search for "constructor" must not find Object.prototype's.
    return Object.hasOwn(bucket, term) ? (bucket[term] as StoredPostings) : ''
  })
  const pending = head.scheduled.filter((s) => !isLive(s.date, options.now)).map((s) => s.path)
  const only = stored[0]
  const { shown, total } =
    stored.length === 1 && typeof only === 'string'
      ? rankedPage(only, pending, options.offset, options.limit)
      : scoredPage(stored, new Set(pending), options.offset, options.limit)

  // The summaries a common term's blob holds, then the archive shards of the rest.
  const found = new Map<string, PostSummary>()
  for (const bucket of buckets) {
    if (!(bucket instanceof TermBlob)) continue
    for (const path of shown) {
      const index = found.has(path) ? -1 : bucket.results.indexOf(path)
      if (index !== -1) found.set(path, bucket.results.post(index))
    }
  }
  const rest = await summariesAt(kv, head, shown.filter((path) => !found.has(path)))
  const posts = shown.flatMap((path) => {
    const summary = found.get(path) ?? rest.get(path)
    return summary ? [summary] : []
  })
  return { terms, posts, total }
}

/**
 * The blob of a term with postings too long to share a bucket; undefined for the rest. A term is
 * at most 40 characters and a hash 64, so a term found between spaces (or first) is a term.
 */
export function ownBlob(directory: SearchDirectory, term: string): string | undefined {
  const terms = directory.terms
  if (!terms) return undefined
  let at = 0
  if (!terms.startsWith(`${term} `)) {
    at = terms.indexOf(` ${term} `) + 1
    if (at === 0) return undefined
  }
  const start = at + term.length + 1
  const end = terms.indexOf(' ', start)
  return terms.slice(start, end === -1 ? terms.length : end)
}

/**
 * A page of one word's results: its postings are stored ranked, so the page is read off the front
 * and the total counted without decoding the rest.
 */
function rankedPage(stored: string, pending: string[], offset: number, limit: number): { shown: string[]; total: number } {
  const hidden = pending.filter((path) => hasPosting(stored, postingId(path)))
  const shown: string[] = []
  let live = 0
  for (const [id] of decodePostings(stored)) {
    const path = postingPath(id)
    if (hidden.includes(path)) continue
    if (live++ < offset) continue
    shown.push(path)
    if (shown.length === limit) break
  }
  return { shown, total: countPostings(stored) - hidden.length }
}

/** A page of the posts that hold every term, by their summed weights. */
function scoredPage(stored: StoredPostings[], pending: Set<string>, offset: number, limit: number): { shown: string[]; total: number } {
  const [first, ...rest] = stored.map((postings) => new Map(decodePostings(postings)))
  const scored: { id: string; score: number }[] = []
  for (const [id, weight] of first ?? []) {
    if (pending.has(postingPath(id)) || !rest.every((p) => p.has(id))) continue
    scored.push({ id, score: rest.reduce((sum, p) => sum + (p.get(id) ?? 0), weight) })
  }
  // Best first; among equals, the newer month (the id starts with it): the order the index keeps.
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
  return { shown: scored.slice(offset, offset + limit).map(({ id }) => postingPath(id)), total: scored.length }
}
