import { labelKey } from './keys'
import type { ArchiveShardRef, Head, Label, PostLink, PostSummary, ShardRef } from './schema'
import { readShard, readShards } from './shards'
import type { StoredShard } from './stored-shard'

// Questions the pages ask, answered from the head and a bounded number of shards. `now` is passed
// in because a scheduled post becomes visible by the clock alone, without a publish.

export const isLive = (date: string, now: number): boolean => Date.parse(date) <= now

/** `/2026/03/slug.html` → `2026-03`. */
export const monthOfPath = (path: string): string => path.slice(1, 8).replace('/', '-')

/** Paths of scheduled posts whose time has not come. */
function pendingPosts(head: Head, now: number) {
  return head.scheduled.filter((s) => !isLive(s.date, now))
}

export interface MonthCount {
  month: string
  count: number
}

/** Every month with a live post, newest first, with its count of live posts. */
export function liveMonths(head: Head, now: number): MonthCount[] {
  const pending = new Map<string, number>()
  for (const s of pendingPosts(head, now)) {
    const month = monthOfPath(s.path)
    pending.set(month, (pending.get(month) ?? 0) + 1)
  }
  return head.archive
    .flatMap((shard) => shard.months)
    .map((m) => ({ month: m.month, count: m.count - (pending.get(m.month) ?? 0) }))
    .filter((m) => m.count > 0)
}

export interface LabelCount {
  name: string
  count: number
}

/** Every label with a live post, with its count of live posts, in the head's (alphabetical) order. */
export function liveLabels(head: Head, now: number): LabelCount[] {
  const pending = new Map<string, number>()
  for (const s of pendingPosts(head, now)) {
    for (const key of s.labels) pending.set(key, (pending.get(key) ?? 0) + 1)
  }
  return head.labels
    .map((l) => ({ name: l.name, count: l.count - (pending.get(l.key) ?? 0) }))
    .filter((l) => l.count > 0)
}

export function findLabel(head: Head, name: string, now: number): Label | null {
  const key = labelKey(name)
  const label = head.labels.find((l) => l.key === key)
  if (!label) return null
  const live = liveLabels(head, now).some((l) => labelKey(l.name) === key)
  return live ? label : null
}

export interface PostList {
  posts: PostSummary[]
  /** Whether older posts match too: the page shows an "Older posts" link. */
  more: boolean
}

interface ListOptions {
  now: number
  limit: number
  /** Only posts published strictly before this instant. */
  before?: number
  /** Only posts whose path passes this test; every shard passed must hold some that do. */
  where?: (path: string) => boolean
  /** Other shards the caller will need, read in the same request as the first of these. */
  alongside?: string[]
}

/**
 * The index of the first of `refs` that passes `test`, or their length: `test` must fail for a
 * run of them and pass for the rest, as a test of a shard's dates does, shards being newest first.
 * A search rather than a filter, so that a page beyond a cursor parses a few of the archive's dates
 * rather than all of them (118 shards at 10,000 posts).
 */
function firstWhere(refs: ShardRef[], test: (ref: ShardRef) => boolean): number {
  let low = 0
  let high = refs.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (test(refs[middle] as ShardRef)) high = middle
    else low = middle + 1
  }
  return low
}

/**
 * How many of `ref`'s posts a page beyond a cursor can count on: all of them when the whole shard
 * lies beyond it; else half of the share its span puts beyond, as if its posts were spread evenly
 * over it (the half is the margin for posts that bunch). A guess that falls short only costs the
 * caller one more read, of the next shard, after this one.
 */
function postsBeyond(ref: ShardRef, cursor: number, direction: 'older' | 'newer'): number {
  const newest = Date.parse(ref.newest)
  const oldest = Date.parse(ref.oldest)
  if (direction === 'older' ? newest < cursor : oldest > cursor) return ref.count
  if (!(newest > oldest)) return 0
  const share = direction === 'older' ? (cursor - oldest) / (newest - oldest) : (newest - cursor) / (newest - oldest)
  return Math.floor((ref.count * Math.min(Math.max(share, 0), 1)) / 2)
}

/**
 * The shards of `candidates` (in reading order) a page of `limit` posts beyond `cursor` needs, as
 * far as their counts and spans tell, read in one bulk request; the caller reads any further shard
 * itself, when scheduled posts, a filter or posts that bunch leave the guess short.
 */
async function readShardsFor(
  kv: KVNamespace,
  candidates: ShardRef[],
  limit: number,
  cursor: { at: number; direction: 'older' | 'newer' } | null,
  alongside: string[] = [],
): Promise<StoredShard[]> {
  let posts = 0
  let wanted = 0
  while (wanted < candidates.length && posts < limit) {
    const ref = candidates[wanted++] as ShardRef
    posts += cursor ? postsBeyond(ref, cursor.at, cursor.direction) : ref.count
  }
  const read = await readShards(kv, [...candidates.slice(0, wanted).map((ref) => ref.hash), ...alongside])
  return read.slice(0, wanted)
}

/** Whether post `i` of `shard` is live, within the bound and, if asked, passes `where`: from its line alone. */
function matches(shard: StoredShard, i: number, now: number, inBounds: (ms: number) => boolean, where?: (path: string) => boolean): boolean {
  const ms = Date.parse(shard.dateAt(i))
  return ms <= now && inBounds(ms) && (!where || where(shard.pathAt(i)))
}

/**
 * The newest live posts in `shards` (newest first) that match, read as they are needed, so a page
 * reads as many shards as its posts span, however many posts the blog has, and parses only those
 * it shows.
 */
export async function listPosts(kv: KVNamespace, shards: ShardRef[], options: ListOptions): Promise<PostList> {
  const { now, limit, before = Number.POSITIVE_INFINITY, where } = options
  const cursor = options.before === undefined ? null : ({ at: before, direction: 'older' } as const)
  const candidates = cursor ? shards.slice(firstWhere(shards, (ref) => Date.parse(ref.oldest) < before)) : shards
  const firstRead = await readShardsFor(kv, candidates, limit, cursor, options.alongside)
  const posts: PostSummary[] = []
  for (let i = 0; i < candidates.length; i++) {
    const shard = firstRead[i] ?? (await readShard(kv, (candidates[i] as ShardRef).hash))
    for (let j = 0; j < shard.count; j++) {
      if (!matches(shard, j, now, (ms) => ms < before, where)) continue
      if (posts.length === limit) return { posts, more: true }
      posts.push(shard.post(j))
    }
    // Shards older than one that held a live post hold only live posts, and callers pass only
    // shards that hold matching posts, so any shard left means there are more.
    if (posts.length === limit) return { posts, more: i + 1 < candidates.length }
  }
  return { posts, more: false }
}

/**
 * The live posts just newer than `after` in `shards` (newest first) that match, at most `limit`,
 * returned newest first: the page before a page of older posts. Reads shards from `after` forward.
 */
export async function listNewer(
  kv: KVNamespace,
  shards: ShardRef[],
  options: { now: number; limit: number; after: number; where?: (path: string) => boolean },
): Promise<PostList> {
  const { now, limit, after, where } = options
  const candidates = shards.slice(0, firstWhere(shards, (ref) => !(Date.parse(ref.newest) > after))).reverse()
  const firstRead = await readShardsFor(kv, candidates, limit, { at: after, direction: 'newer' })
  const found: PostSummary[] = []
  for (let i = 0; i < candidates.length; i++) {
    const shard = firstRead[i] ?? (await readShard(kv, (candidates[i] as ShardRef).hash))
    for (let j = shard.count - 1; j >= 0; j--) {
      if (!matches(shard, j, now, (ms) => ms > after, where)) continue
      if (found.length === limit) return { posts: found.reverse(), more: true }
      found.push(shard.post(j))
    }
  }
  return { posts: found.reverse(), more: false }
}

/** Archive shards that hold posts of `month` (`YYYY-MM`) or, given `YYYY`, of that year. */
export function archiveShardsFor(head: Head, period: string): ArchiveShardRef[] {
  return head.archive.filter((shard) => shard.months.some((m) => m.month.startsWith(period)))
}

/** The archive shard that holds the post at `path`, if any: shards hold whole months. */
export function archiveShardOf(head: Head, path: string): ArchiveShardRef | undefined {
  const month = monthOfPath(path)
  return head.archive.find((shard) => shard.months.some((m) => m.month === month))
}

/**
 * The summaries of the live or scheduled posts at `paths`, as their archive shards hold them (with
 * their blobs' hashes), read in one request; a path no shard holds is left out.
 */
export async function summariesAt(kv: KVNamespace, head: Head, paths: string[]): Promise<Map<string, PostSummary>> {
  const shardOf = new Map(paths.map((path) => [path, archiveShardOf(head, path)?.hash]))
  const hashes = [...new Set(shardOf.values())].filter((hash) => hash !== undefined)
  // No shard to read is no read: readShards reads only what the isolate lacks.
  const shards = new Map((await readShards(kv, hashes)).map((shard, i) => [hashes[i], shard]))
  const found = new Map<string, PostSummary>()
  for (const [path, hash] of shardOf) {
    const shard = shards.get(hash)
    const index = shard?.indexOf(path) ?? -1
    if (shard && index !== -1) found.set(path, shard.post(index))
  }
  return found
}

export interface PostWithNeighbours {
  summary: PostSummary
  older: PostLink | null
  newer: PostLink | null
}

/** The live post at `path` (its summary, which names its blob), with the posts before and after it; null if there is none. */
export async function findPost(kv: KVNamespace, head: Head, path: string, now: number): Promise<PostWithNeighbours | null> {
  const ref = archiveShardOf(head, path)
  if (!ref) return null
  const shard = await readShard(kv, ref.hash)
  const index = shard.indexOf(path)
  if (index === -1 || !isLive(shard.dateAt(index), now)) return null
  const summary = shard.post(index)
  const older = index + 1 < shard.count ? shard.post(index + 1) : shard.older
  // Scheduled posts are the newest, so if the next newer post is not live, none newer is.
  const newerCandidate = index > 0 ? shard.post(index - 1) : shard.newer
  const newer = newerCandidate && isLive(newerCandidate.date, now) ? newerCandidate : null
  return { summary, older, newer }
}

/** The blob of the static page at `/p/<slug>.html`, if there is one. */
export function findPage(head: Head, slug: string): string | null {
  return head.pages.find((p) => p.slug === slug)?.hash ?? null
}
