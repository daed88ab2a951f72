import type { ArchiveShardRef, Head, ShardRef } from './schema'

// `head` as KV keeps it: one JSON document whose last member, after a line break, holds every
// label's shard refs, a line per label in the order of its labels. Every page reads the head, but
// only a label's pages and feeds need refs, and only that label's, which at 10,000 posts are more
// than half of its bytes: the Worker parses and checks a label's line only when a route asks for it
// (src/content/kv.ts). Any JSON parser still reads the whole. Heads written before this hold all
// the refs on one line, or in each label itself.

/** Starts the head's last member; JSON.stringify never writes a line break, so this is the first. */
export const LABEL_SHARDS_MEMBER = '\n"labelShards":'

// The archive's shard refs are one string in the head: a line per shard, its hash, count, newest
// and oldest dates, then each of its months as month, count and lastmod, separated by spaces. Every
// HTML page needs them (the sidebar, the shard of a post), and at 10,000 posts, as JSON objects
// parsed and checked, they took most of the time a cold isolate spent on the head (about 0.3 ms of
// 0.35 in Node); as lines, a tenth of that. Heads written before this hold JSON objects.

const FIELD = ' '
const LINE = '\n'
const COUNT = /^(?:0|[1-9][0-9]*)$/
const MONTH = /^[0-9]{4}-[0-9]{2}$/

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

/** The archive's refs from what encodeArchive wrote; throws an Error naming the line that is wrong. */
export function decodeArchive(text: string): ArchiveShardRef[] {
  if (text === '') return []
  return text.split(LINE).map((line, i) => {
    const fields = line.split(FIELD)
    const wrong = (what: string) => new Error(`line ${i + 1} of the archive's shards ${what}: ${JSON.stringify(line.slice(0, 120))}`)
    if (fields.length < 7 || (fields.length - 4) % 3 !== 0) throw wrong('has not a hash, a count, two dates and months of three fields each')
    const [hash, count, newest, oldest] = fields as [string, string, string, string]
    if (!COUNT.test(count) || fields.includes('')) throw wrong('has an empty field or a count that is not a whole number')
    const months: ArchiveShardRef['months'] = []
    for (let at = 4; at < fields.length; at += 3) {
      const [month, posts, lastmod] = [fields[at], fields[at + 1], fields[at + 2]] as [string, string, string]
      if (!MONTH.test(month) || !COUNT.test(posts)) throw wrong(`has a month that is not YYYY-MM with a whole count (${month} ${posts})`)
      months.push({ month, count: Number(posts), lastmod })
    }
    return { hash, count: Number(count), newest, oldest, months }
  })
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
