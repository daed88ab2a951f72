import type { Post, PostSummary, SearchBucket } from '../content/schema'
import { bucketOf, searchTerms } from '../content/terms'

// The search index. It covers what says what a post is about (title, labels, section headings and
// summary), not every word of the body, so that editing a paragraph rarely changes the index and a
// publish stays small; and it is cut into buckets by term, so that a query reads a few of them.

const WEIGHTS = { title: 4, label: 3, heading: 2, summary: 1 } as const

/** Enough buckets to keep each near 500 terms' postings, and few enough to list in one blob. */
export function bucketCount(posts: number): number {
  let count = 8
  while (count < 512 && count * 16 < posts) count *= 2
  return count
}

const postId = (path: string): string => path.slice(1, -'.html'.length)

export function searchBuckets(posts: { post: Post; summary: PostSummary; headings: string[] }[]): SearchBucket[] {
  const count = bucketCount(posts.length)
  const buckets: SearchBucket[] = Array.from({ length: count }, () => ({}))
  for (const { post, summary, headings } of posts) {
    const weights = new Map<string, number>()
    const add = (text: string, weight: number) => {
      for (const term of new Set(searchTerms(text))) weights.set(term, (weights.get(term) ?? 0) + weight)
    }
    add(post.title, WEIGHTS.title)
    for (const label of post.labels) add(label, WEIGHTS.label)
    for (const heading of headings) add(heading, WEIGHTS.heading)
    add(summary.snippet, WEIGHTS.summary)
    const id = postId(post.path)
    for (const [term, weight] of [...weights].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const bucket = buckets[bucketOf(term, count)] as SearchBucket
      bucket[term] = [...(bucket[term] ?? []), [id, weight]]
    }
  }
  return buckets
}
