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
  readonly #byWeight: (string | undefined)[] = []

  add(id: string, weight: number): void {
    const entry = `${id} ${weight}`
    const run = this.#byWeight[weight]
    this.#byWeight[weight] = run === undefined ? entry : `${run} ${entry}`
  }

  toString(): string {
    let stored = ''
    for (let weight = this.#byWeight.length - 1; weight >= 0; weight--) {
      const run = this.#byWeight[weight]
      if (run !== undefined) stored = stored === '' ? run : `${stored} ${run}`
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
