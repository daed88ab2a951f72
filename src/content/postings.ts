// A term's postings in the search index: the posts it appears in (`YYYY/MM/slug`, which holds no
// space) with their weights, best first, written as one string `id weight id weight …`. One string
// per term keeps a bucket cheap to parse and to check, however common the term, and a one-word
// search reads only as far into it as the page it shows.

/** Indexes written before the string form list `[id, weight]` pairs, in build order. */
export type StoredPostings = string | [string, number][]

export type Posting = [id: string, weight: number]

/** A post's id in the index: its path without the slash and `.html` (`2026/03/slug`). */
export const postingId = (path: string): string => path.slice(1, -'.html'.length)
export const postingPath = (id: string): string => `/${id}.html`

export function encodePostings(postings: Posting[]): string {
  return postings.map(([id, weight]) => `${id} ${weight}`).join(' ')
}

/**
 * Postings gathered newest id first and written ranked: by weight, heaviest first, and within a
 * weight in the order they came. Without a sort: each weight keeps its own run of the string.
 */
export class RankedPostings {
  readonly #byWeight: string[][] = []

  add(id: string, weight: number): void {
    const run = this.#byWeight[weight]
    if (run === undefined) this.#byWeight[weight] = [id]
    else run.push(id)
  }

  toString(): string {
    let stored = ''
    for (let weight = this.#byWeight.length - 1; weight >= 0; weight--) {
      const run = this.#byWeight[weight]
      if (run === undefined) continue
      const text = `${run.join(` ${weight} `)} ${weight}`
      stored = stored === '' ? text : `${stored} ${text}`
    }
    return stored
  }
}

/** The postings in their stored order. */
export function* decodePostings(stored: StoredPostings): Generator<Posting> {
  if (typeof stored !== 'string') {
    yield* stored
    return
  }
  let at = 0
  while (at < stored.length) {
    const space = stored.indexOf(' ', at)
    if (space === -1) return
    const next = stored.indexOf(' ', space + 1)
    const end = next === -1 ? stored.length : next
    yield [stored.slice(at, space), Number(stored.slice(space + 1, end))]
    at = end + 1
  }
}

/** How many posts the term appears in, without decoding them. */
export function countPostings(stored: string): number {
  if (stored === '') return 0
  let spaces = 0
  for (let at = stored.indexOf(' '); at !== -1; at = stored.indexOf(' ', at + 1)) spaces++
  return (spaces + 1) / 2
}

/** Whether the term appears in the post `id`. */
export function hasPosting(stored: string, id: string): boolean {
  // A weight is digits and an id holds a slash, so an id between spaces (or at the start) is one.
  return stored.startsWith(`${id} `) || stored.includes(` ${id} `)
}

/** The first line of a bucket: it names the form, and no bucket is an empty value. */
const BUCKET_HEADER = 'search-bucket 1'

/**
 * A bucket of the search index as text: a header, then a line per term, `\n<term>\t<postings>`. A
 * term holds no tab or line break (src/content/terms.ts keeps letters and digits), so a search
 * finds its terms with indexOf and neither parses nor checks the rest. At 10,000 posts a bucket
 * runs to 220 KB, mostly the postings of common words: parsed and checked as JSON it took 0.23 ms
 * in Node, found in its text 2 µs. Buckets published before this are JSON objects, which start
 * with `{`.
 */
export function encodeBucket(terms: Iterable<[term: string, postings: string]>): string {
  let text = BUCKET_HEADER
  for (const [term, postings] of terms) text += `\n${term}\t${postings}`
  return text
}

/** The postings of `term` in a bucket encodeBucket wrote; '' when the bucket does not hold it. */
export function bucketPostings(bucket: string, term: string): string {
  const start = bucket.indexOf(`\n${term}\t`)
  if (start === -1) return ''
  const from = start + term.length + 2
  const end = bucket.indexOf('\n', from)
  return bucket.slice(from, end === -1 ? bucket.length : end)
}

/**
 * A common term's blob of its own (src/build/search.ts): its bucket of one line, a blank line, then
 * the summaries of the posts a search for the term alone shows first, as a shard's text
 * (src/content/shard-text.ts), so that the first page of such a search reads nothing more.
 */
export const encodeTermBlob = (bucket: string, firstResults: string): string => `${bucket}\n\n${firstResults}`

/** The shard's text of the first results in a blob encodeTermBlob wrote; null in a bucket. */
export function termBlobResults(text: string): string | null {
  const at = text.indexOf('\n\n')
  return at === -1 ? null : text.slice(at + 2)
}

/** The terms and postings of a bucket encodeBucket wrote, in its order. */
export function bucketEntries(bucket: string): [term: string, postings: string][] {
  return bucket
    .split('\n')
    .slice(1)
    .map((line) => {
      const tab = line.indexOf('\t')
      return [line.slice(0, tab), line.slice(tab + 1)]
    })
}
