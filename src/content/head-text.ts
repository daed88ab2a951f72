import type { ArchiveShardRef, Head, ShardRef } from './schema'

// `head` as KV keeps it: one JSON document whose last member, after a line break, holds every
// label's shard refs, a line per label in the order of its labels. Every page reads the head, but
// only a label's pages and feeds need refs, and only that label's, which at 10,000 posts are more
// than half of its bytes: the Worker parses and checks a label's line only when a route asks for it
// (parseHead, src/content/checked.ts). Any JSON parser still reads the whole. Heads written before
// this hold all the refs on one line, or in each label itself.

/** Starts the head's last member; JSON.stringify never writes a line break, so this is the first. */
export const LABEL_SHARDS_MEMBER = '\n"labelShards":'

// The archive's shard refs are one string in the head: a line per shard, its hash, count, newest
// and oldest dates, then each of its months as month, count and lastmod, separated by spaces. Every
// HTML page needs them (the sidebar, the shard of a post), and at 10,000 posts, as JSON objects
// parsed and checked, they took most of the time a cold isolate spent on the head (about 0.25 ms
// of 0.3 in Node); as lines read with indexOf, about a fifth of that. Heads written before this
// hold JSON objects.

const FIELD = ' '
const LINE = '\n'

/** The archive's refs as the head keeps them. */
export function encodeArchive(refs: ArchiveShardRef[]): string {
  return refs
    .map((ref) => {
      const fields = [ref.hash, String(ref.count), ref.newest, ref.oldest]
      for (const month of ref.months) fields.push(month.month, String(month.count), month.lastmod)
      for (const field of fields) {
        if (field === '' || field.includes(FIELD) || field.includes(LINE)) throw new Error(`an archive shard's field ${JSON.stringify(field)} is empty or holds a space or a line break`)
      }
      return fields.join(FIELD)
    })
    .join(LINE)
}

/** The whole number written from `from` to `to` (digits, no leading zero), or -1. */
function wholeNumber(text: string, from: number, to: number): number {
  if (to <= from || (text.charCodeAt(from) === 48 && to - from > 1)) return -1
  let n = 0
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    n = n * 10 + digit
  }
  return n
}

/** Whether `YYYY-MM` is written from `from` to `to`. */
function isMonth(text: string, from: number, to: number): boolean {
  if (to - from !== 7 || text.charCodeAt(from + 4) !== 45) return false
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48
    if (i !== from + 4 && (digit < 0 || digit > 9)) return false
  }
  return true
}

const TOO_FEW_FIELDS = 'has not a hash, a count, two dates and months of three fields each'
const EMPTY_OR_NOT_A_COUNT = 'has an empty field or a count that is not a whole number'

function archiveError(text: string, line: number, at: number, end: number, what: string): Error {
  return new Error(`line ${line} of the archive's shards ${what}: ${JSON.stringify(text.slice(at, Math.min(end, at + 120)))}`)
}

/**
 * The archive's refs from what encodeArchive wrote; throws an Error naming the line that is wrong.
 * Fields are found with indexOf, not split, and no closure holds the loop's variables: either
 * made it four or five times slower.
 */
export function decodeArchive(text: string): ArchiveShardRef[] {
  const refs: ArchiveShardRef[] = []
  let at = 0
  for (let line = 1; at < text.length; line++) {
    let end = text.indexOf(LINE, at)
    if (end === -1) end = text.length
    const afterHash = text.indexOf(FIELD, at)
    const afterCount = text.indexOf(FIELD, afterHash + 1)
    const afterNewest = text.indexOf(FIELD, afterCount + 1)
    const afterOldest = text.indexOf(FIELD, afterNewest + 1)
    if (afterHash === -1 || afterCount === -1 || afterNewest === -1 || afterOldest === -1 || afterOldest >= end) {
      throw archiveError(text, line, at, end, TOO_FEW_FIELDS)
    }
    const count = wholeNumber(text, afterHash + 1, afterCount)
    if (count === -1 || afterHash === at || afterNewest === afterCount + 1 || afterOldest === afterNewest + 1) {
      throw archiveError(text, line, at, end, EMPTY_OR_NOT_A_COUNT)
    }
    const months: ArchiveShardRef['months'] = []
    for (let from = afterOldest + 1; from <= end; ) {
      const afterMonth = text.indexOf(FIELD, from)
      const afterPosts = afterMonth === -1 ? -1 : text.indexOf(FIELD, afterMonth + 1)
      if (afterPosts === -1 || afterPosts >= end) throw archiveError(text, line, at, end, TOO_FEW_FIELDS)
      let afterLastmod = text.indexOf(FIELD, afterPosts + 1)
      if (afterLastmod === -1 || afterLastmod > end) afterLastmod = end
      const posts = wholeNumber(text, afterMonth + 1, afterPosts)
      if (!isMonth(text, from, afterMonth) || posts === -1) {
        throw archiveError(text, line, at, end, `has a month that is not YYYY-MM with a whole count (${text.slice(from, afterPosts)})`)
      }
      if (afterLastmod === afterPosts + 1) throw archiveError(text, line, at, end, EMPTY_OR_NOT_A_COUNT)
      months.push({ month: text.slice(from, afterMonth), count: posts, lastmod: text.slice(afterPosts + 1, afterLastmod) })
      from = afterLastmod + 1
    }
    refs.push({ hash: text.slice(at, afterHash), count, newest: text.slice(afterCount + 1, afterNewest), oldest: text.slice(afterNewest + 1, afterOldest), months })
    at = end + 1
  }
  return refs
}

/** The head's text, with the archive's refs as lines and the labels' shard refs moved to its end, a line per label. */
export function encodeHead(head: Head): string {
  const core = JSON.stringify({ ...head, archive: encodeArchive(head.archive), labels: head.labels.map(({ shards: _, ...label }) => label) })
  const lines = head.labels.map((label) => JSON.stringify(label.shards))
  return `${core.slice(0, -1)},${LABEL_SHARDS_MEMBER}[\n${lines.join(',\n')}\n]}`
}

/**
 * The head's text in two parts: the JSON of everything but the labels' shard refs, and the JSON of
 * those, a list per label in the labels' order; null for a head written before the split, which is
 * one JSON document.
 */
export function splitHead(text: string): { core: string; labelShards: string } | null {
  // The first line break, found forwards (a backward search for the whole member, over the half of
  // the text the refs take, cost more than the split saves); a head written whole has none, or one
  // that starts no such member.
  const at = text.indexOf('\n')
  if (at < 1 || text[at - 1] !== ',' || !text.startsWith(LABEL_SHARDS_MEMBER, at) || !text.endsWith('}')) return null
  return { core: `${text.slice(0, at - 1)}}`, labelShards: text.slice(at + LABEL_SHARDS_MEMBER.length, -1) }
}

/**
 * The JSON of each label's shard refs, from the labels' member of a split head; null when they are
 * all on one line (as heads published before this wrote them), to be parsed whole.
 */
export function labelShardLines(labelShards: string): string[] | null {
  if (!labelShards.startsWith('[\n') || !labelShards.endsWith('\n]')) return null
  const lines = labelShards.slice(2, -2)
  return lines === '' ? [] : lines.split(',\n')
}

/** A head parsed whole, as every label with its shard refs and the archive's refs as objects, whichever way it was written. */
export function decodeHead(text: string): unknown {
  const json = JSON.parse(text) as { archive?: unknown; labels?: object[]; labelShards?: ShardRef[][] }
  if (typeof json.archive === 'string') json.archive = decodeArchive(json.archive)
  const { labelShards, ...head } = json
  if (!labelShards || !Array.isArray(head.labels)) return json
  return { ...head, labels: head.labels.map((label, i) => ({ ...label, shards: labelShards[i] })) }
}
