import type { PostSummary, Shard } from './schema'

// A shard as KV keeps it: a first line that names its form, a line of JSON with the links to the
// posts just outside it, then one line per post, newest first: its path and date, then its summary
// as JSON. A page shows a few of a shard's posts (at 10,000 posts a search shows ten spread over six
// shards of sixty): the Worker finds them by path and date and parses only those
// (src/content/shards.ts). Shards written before this are one JSON document (ShardSchema).

export const SHARD_TEXT_FIRST_LINE = 'shard 1'

/**
 * A feed's entries unless it asks for more (Blogger's default). A label's lines hold the blob hashes
 * of that many of its newest posts, and of its scheduled ones, for the label's full feed, but for
 * those the archive's newest shard holds (src/build/build.ts).
 */
export const FEED_ENTRIES = 25

/**
 * A summary's JSON with an empty blob hash, for lines that do without it (most of a label's, and a
 * common search term's first results); from `json`, the summary's own JSON, when it is at hand.
 */
export const summaryJsonWithoutHash = (summary: PostSummary, json = JSON.stringify(summary)): string =>
  json.replace(`"hash":${JSON.stringify(summary.hash)}`, '"hash":""')

/** JSON.stringify never writes a tab or a line break, and paths hold neither (asserted below). */
const FIELD = '\t'
const LINE = '\n'

/** The shard's text; `summaryJson` lets a build write each summary's JSON once for all its shards. */
export function encodeShard(shard: Shard, summaryJson: (summary: PostSummary) => string = JSON.stringify): string {
  const lines = [SHARD_TEXT_FIRST_LINE, JSON.stringify({ older: shard.older, newer: shard.newer })]
  for (const post of shard.posts) {
    if (/[\t\n]/.test(post.path) || /[\t\n]/.test(post.date)) {
      throw new Error(`the path or date of ${JSON.stringify(post.path)} holds a tab or a line break`)
    }
    lines.push(`${post.path}${FIELD}${post.date}${FIELD}${summaryJson(post)}`)
  }
  return lines.join(LINE)
}

/** Whether `text` is a shard in this form rather than the older JSON. */
export const isShardText = (text: string): boolean => text.startsWith(`${SHARD_TEXT_FIRST_LINE}${LINE}`)

/**
 * A shard's text cut into lines, without parsing any post: each post's path and date are read off
 * the front of its line, its summary's JSON is handed over only when asked for.
 */
export class ShardLines {
  /** The JSON of `{ older, newer }`. */
  readonly links: string
  readonly #text: string
  /** For each post's line: where it starts, where its path ends and where its date ends. */
  readonly #lines: { start: number; pathEnd: number; dateEnd: number; end: number }[] = []

  /** Throws when a post's line lacks its path or date. */
  constructor(text: string) {
    this.#text = text
    const linksStart = SHARD_TEXT_FIRST_LINE.length + 1
    let end = text.indexOf(LINE, linksStart)
    if (end === -1) end = text.length
    this.links = text.slice(linksStart, end)
    while (end < text.length) {
      const start = end + 1
      end = text.indexOf(LINE, start)
      if (end === -1) end = text.length
      const pathEnd = text.indexOf(FIELD, start)
      const dateEnd = pathEnd === -1 ? -1 : text.indexOf(FIELD, pathEnd + 1)
      if (dateEnd === -1 || dateEnd > end) throw new Error(`post ${this.#lines.length + 1} of the shard has no path and date before its summary`)
      this.#lines.push({ start, pathEnd, dateEnd, end })
    }
  }

  get count(): number {
    return this.#lines.length
  }

  #line(i: number) {
    const line = this.#lines[i]
    if (!line) throw new RangeError(`the shard has no post ${i + 1}`)
    return line
  }

  pathAt(i: number): string {
    const line = this.#line(i)
    return this.#text.slice(line.start, line.pathEnd)
  }

  dateAt(i: number): string {
    const line = this.#line(i)
    return this.#text.slice(line.pathEnd + 1, line.dateEnd)
  }

  /** The JSON of post `i`'s summary. */
  jsonAt(i: number): string {
    const line = this.#line(i)
    return this.#text.slice(line.dateEnd + 1, line.end)
  }

  /** The index of the post at `path`, or -1. */
  indexOf(path: string): number {
    const at = this.#text.indexOf(`${LINE}${path}${FIELD}`)
    return at === -1 ? -1 : this.#lines.findIndex((line) => line.start === at + 1)
  }
}

/** A shard parsed whole, as `{ posts, older, newer }`, whichever way it was written. */
export function decodeShard(text: string): unknown {
  if (!isShardText(text)) return JSON.parse(text)
  const lines = new ShardLines(text)
  const posts = Array.from({ length: lines.count }, (_, i) => JSON.parse(lines.jsonAt(i)) as unknown)
  return { posts, ...(JSON.parse(lines.links) as object) }
}
