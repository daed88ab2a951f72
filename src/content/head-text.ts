import type { Head, ShardRef } from './schema'

// `head` as KV keeps it: one JSON document whose last member, on a line of its own, holds every
// label's shard refs, in the order of its labels. Every page reads the head, but only a label's pages and feeds
// need its refs, which at 10,000 posts are more than half of its bytes: the Worker parses and
// checks them only when a route asks for them (src/content/kv.ts). Any JSON parser still reads the
// whole; heads written before this keep each label's refs in the label itself.

/** Starts the head's last member; JSON.stringify never writes a line break, so this is the first. */
export const LABEL_SHARDS_MEMBER = '\n"labelShards":'

/** The head's text, with the labels' shard refs moved to its last line. */
export function encodeHead(head: Head): string {
  const core = JSON.stringify({ ...head, labels: head.labels.map(({ shards: _, ...label }) => label) })
  const shards = JSON.stringify(head.labels.map((label) => label.shards))
  return `${core.slice(0, -1)},${LABEL_SHARDS_MEMBER}${shards}}`
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

/** A head parsed whole, as every label with its shard refs, whichever way it was written. */
export function decodeHead(text: string): unknown {
  const json = JSON.parse(text) as { labels?: object[]; labelShards?: ShardRef[][] }
  const { labelShards, ...head } = json
  if (!labelShards || !Array.isArray(head.labels)) return json
  return { ...head, labels: head.labels.map((label, i) => ({ ...label, shards: labelShards[i] })) }
}
