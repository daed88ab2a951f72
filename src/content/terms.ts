// Words as search sees them, shared by the index the publisher builds and the queries the Worker
// answers, so both fold text the same way.

const STOPWORDS = new Set(
  'a an and are as at be but by for from has have how in into is it its of on or that the this to was what when where which who why will with you your'.split(' '),
)

/** Lower-case words without accents, at least two characters, common English words left out. */
export function searchTerms(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2 && word.length <= 40 && !STOPWORDS.has(word))
}

/** Which bucket of the index holds `term`: FNV-1a, so the Worker finds it without a lookup. */
export function bucketOf(term: string, buckets: number): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < term.length; i++) {
    hash ^= term.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % buckets
}
