import type { Post, PostSummary } from '../content/schema'
import { bucketPostings, decodePostings, encodeBucket, encodeTermBlob, postingId, postingPath, RankedPostings } from '../content/postings'
import { encodeShard, summaryJsonWithoutHash } from '../content/shard-text'
import { bucketOf, searchTerms } from '../content/terms'

// The search index. It covers what says what a post is about (title, labels, section headings and
// summary), not every word of the body, so that editing a paragraph rarely changes the index and a
// publish stays small; and it is cut into buckets by term, so that a query reads a few of them.

const WEIGHTS = { title: 4, label: 3, heading: 2, summary: 1 } as const

/** A term whose postings run longer than this has a blob of its own instead of a place in a bucket. */
export const OWN_BLOB_BYTES = 16 * 1024
/** The most terms with blobs of their own: the head names each (about 80 bytes), and every page reads it. */
export const MAX_OWN_BLOBS = 128

/**
 * More buckets as the index grows, about 16 KiB of postings each, so that a search reads little
 * more than its own term's postings; the head lists them all, so not many (128 names are 8.5 KiB
 * of the head). A search finds its term in a bucket without parsing the rest.
 */
export function bucketCount(bytes: number): number {
  let count = 8
  while (count < 128 && count * OWN_BLOB_BYTES < bytes) count *= 2
  return count
}

const ASCII = /^[\x00-\x7f]*$/
// Whether a word is one search leaves out, asked of searchTerms itself once per word, so the list
// has one home (src/content/terms.ts).
const stopwords = new Map<string, boolean>()
function isStopword(word: string): boolean {
  let stop = stopwords.get(word)
  if (stop === undefined) {
    stop = searchTerms(word).length === 0
    if (stopwords.size < 100_000) stopwords.set(word, stop)
  }
  return stop
}

/**
 * `searchTerms(text)`, sooner for ASCII text, where folding accents and case changes only A–Z and
 * the only letters and digits are [a-z0-9]. Most titles, labels, headings and snippets are ASCII.
 */
export function termsOf(text: string): string[] {
  if (!ASCII.test(text)) return searchTerms(text)
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 2 && word.length <= 40 && !isStopword(word))
}

/** What the index reads of a post. */
export interface IndexedPost {
  post: Post
  summary: PostSummary
  headings: string[]
}

/**
 * A post's terms with their weights, `term weight term weight …` in the order the post's texts
 * give them (a term holds no space). Each post's on its own, so the build's reading threads work
 * them out beside the rest of each post, and the thread that indexes only puts them together.
 */
export function postTerms({ post, summary, headings }: IndexedPost): string {
  // Each text counts a term once: `lastText` says which text last added it.
  const weights = new Map<string, number>()
  const lastText = new Map<string, number>()
  let text = 0
  const add = (words: string, weight: number) => {
    text++
    for (const term of termsOf(words)) {
      if (lastText.get(term) === text) continue
      lastText.set(term, text)
      weights.set(term, (weights.get(term) ?? 0) + weight)
    }
  }
  add(post.title, WEIGHTS.title)
  for (const label of post.labels) add(label, WEIGHTS.label)
  for (const heading of headings) add(heading, WEIGHTS.heading)
  add(summary.snippet, WEIGHTS.summary)
  let terms = ''
  for (const [term, weight] of weights) terms = terms === '' ? `${term} ${weight}` : `${terms} ${term} ${weight}`
  return terms
}

/** A post as the index takes it: its posting id and its `postTerms`. */
export type PostTerms = [id: string, terms: string]

export const indexEntry = (post: IndexedPost, terms = postTerms(post)): PostTerms => [postingId(post.summary.path), terms]

/**
 * The search index as the build stores it: each bucket's text, and each term that has a blob of
 * its own with that blob's text (a bucket of one term, so that one reader serves both).
 */
export interface SearchIndex {
  buckets: string[]
  terms: [term: string, text: string][]
}

/** The search index; a post's `terms`, when given, are its `postTerms`. */
export function searchIndex(posts: (IndexedPost & { terms?: string })[]): SearchIndex {
  return indexOf(posts.map((post) => indexEntry(post, post.terms)))
}

/**
 * The search index from each post's terms. The most common words have blobs of their own: at
 * 10,000 posts a few hundred of them hold nearly all of the index's bytes, and in a bucket each
 * made every search for a word that shared it read it too.
 */
export function indexOf(posts: PostTerms[]): SearchIndex {
  // A Map while building: appending to a term's postings in place keeps the build linear, and a
  // term such as "constructor" is never mistaken for a property every object inherits.
  const postingsOf = new Map<string, RankedPostings>()
  // Newest id first, so that each term's postings of equal weight come in the order a search
  // ranks them.
  const byId = [...posts].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
  for (const [id, terms] of byId) {
    let at = 0
    while (at < terms.length) {
      const space = terms.indexOf(' ', at)
      const next = terms.indexOf(' ', space + 1)
      const end = next === -1 ? terms.length : next
      const term = terms.slice(at, space)
      let postings = postingsOf.get(term)
      if (!postings) postingsOf.set(term, (postings = new RankedPostings()))
      postings.add(id, Number(terms.slice(space + 1, end)))
      at = end + 1
    }
  }
  // Its postings are ranked as a one-word search ranks them, best first and then the newer month,
  // so that such a search reads only the front.
  const entries: [term: string, postings: string][] = []
  for (const [term, postings] of postingsOf) entries.push([term, postings.toString()])
  const own = new Set(
    entries
      .filter(([, postings]) => postings.length > OWN_BLOB_BYTES)
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_OWN_BLOBS)
      .map(([term]) => term),
  )
  let bytes = 0
  for (const [term, postings] of entries) if (!own.has(term)) bytes += term.length + postings.length + 2
  const count = bucketCount(bytes)
  const buckets = Array.from({ length: count }, (): [string, string][] => [])
  const terms: [string, string][] = []
  // A term's first post fixes its place in its bucket.
  for (const entry of entries) {
    if (own.has(entry[0])) terms.push([entry[0], encodeBucket([entry])])
    else buckets[bucketOf(entry[0], count)]?.push(entry)
  }
  terms.sort((a, b) => (a[0] < b[0] ? -1 : 1))
  return { buckets: buckets.map(encodeBucket), terms }
}

/**
 * A common term's blob with the summaries of its first `count` posts, as a search for the term
 * alone ranks them: that search's first page then reads no shard. Without their blobs' hashes, which
 * the results do not show, so that an edit to a post's body leaves the blobs of its words alone.
 */
export function withFirstResults(
  text: string,
  term: string,
  summaryOf: Map<string, PostSummary>,
  count: number,
  hashlessJson: (summary: PostSummary) => string = summaryJsonWithoutHash,
): string {
  const posts: PostSummary[] = []
  for (const [id] of decodePostings(bucketPostings(text, term))) {
    if (posts.length === count) break
    const summary = summaryOf.get(postingPath(id))
    if (summary) posts.push(summary)
  }
  return encodeTermBlob(text, encodeShard({ posts, older: null, newer: null }, hashlessJson))
}
