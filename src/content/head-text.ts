import type { Head, ShardRef } from './schema'

// `head` as KV keeps it: one JSON document whose last member, after a line break, holds every
// label's shard refs, a line per label in the order of its labels. Every page reads the head, but
// only a label's pages and feeds need refs, and only that label's, which at 10,000 posts are more
// than half of its bytes: the Worker parses and checks a label's line only when a route asks for it
// (src/content/kv.ts). Any JSON parser still reads the whole. Heads written before this hold all
// the refs on one line, or in each label itself.

/** Starts the head's last member; JSON.stringify never writes a line break, so this is the first. */
export const LABEL_SHARDS_MEMBER = '\n"labelShards":'

/** The head's text, with the labels' shard refs moved to its end, a line per label. */
export function encodeHead(head: Head): string {
  const core = JSON.stringify({ ...head, labels: head.labels.map(({ shards: _, ...label }) => label) })
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

/** A head parsed whole, as every label with its shard refs, whichever way it was written. */
export function decodeHead(text: string): unknown {
  const json = JSON.parse(text) as { labels?: object[]; labelShards?: ShardRef[][] }
  const { labelShards, ...head } = json
  if (!labelShards || !Array.isArray(head.labels)) return json
  return { ...head, labels: head.labels.map((label, i) => ({ ...label, shards: labelShards[i] })) }
}
