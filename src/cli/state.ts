import * as v from 'valibot'
import { decodeHead } from '../content/head-text'
import { decodeShard } from '../content/shard-text'
import { blobKey, HEAD_KEY, HISTORY_KEY, rendersKeptKey, WORKER_FORM_KEY } from '../content/keys'
import { RENDERER_VERSION } from '../markdown/version'
import { TargetError } from './errors'
import { BINDING, type Kv } from './wrangler'

// What a target holds, read through wrangler: the live head (its exact bytes, so a rollback can
// write them back unchanged), the heads before it, each version's manifest of blobs, and the
// archive shards `status` compares post by post.

// Only the parts of a head and a shard the CLI needs are checked, loosely: a head written by an
// older or newer Quire (another field here or there) can still be compared, pruned and rolled back.
const StoredHeadSchema = v.object({
  version: v.string(),
  site: v.looseObject({ timeZone: v.string() }),
  archive: v.array(v.object({ hash: v.string(), count: v.number() })),
  labels: v.array(v.object({ shards: v.array(v.object({ hash: v.string() })) })),
  pages: v.array(v.object({ slug: v.string(), hash: v.string() })),
})
export type StoredHead = v.InferOutput<typeof StoredHeadSchema>

const StoredShardSchema = v.object({
  posts: v.array(v.object({ path: v.string(), title: v.string(), hash: v.string() })),
})
type Shard = v.InferOutput<typeof StoredShardSchema>

/** How many earlier heads `head:history` keeps for `versions`, `rollback` and `prune`. */
export const HISTORY_LIMIT = 20

const HistorySchema = v.object({
  schema: v.literal(1),
  /** Newest first. */
  entries: v.array(
    v.object({
      version: v.string(),
      /** When this head stopped being live (ms since the epoch): the next one's start. */
      replacedAt: v.number(),
      /** The head's counts, so `versions` lists them without reading the head. */
      posts: v.optional(v.number()),
      pages: v.optional(v.number()),
      /**
       * The head's exact bytes, only when its version's manifest does not hold them: a version
       * published by an older Quire, and every entry an older Quire wrote.
       */
      head: v.optional(v.string()),
    }),
  ),
})
export type History = v.InferOutput<typeof HistorySchema>
export type HistoryEntry = History['entries'][number]
/** A history entry but for when it was replaced. */
export type ReplacedHead = Omit<HistoryEntry, 'replacedAt'>

export interface TargetState {
  /** The live head's exact bytes; null before the first publish. */
  headText: string | null
  head: StoredHead | null
  history: History
  /** Whether a publish kept every post's render under this renderer lately (rendersKeptKey). */
  rendersKept: boolean
  /** The stored form the deployed Worker reads, as `quire deploy` recorded it; null if it never ran. */
  workerForm: number | null
}

/** Reads `head`, `head:history`, whether the renders are kept and the deployed Worker's form, in one wrangler call. */
export async function readTargetState(kv: Kv): Promise<TargetState> {
  const values = await kv.bulkGet([HEAD_KEY, HISTORY_KEY, rendersKeptKey(RENDERER_VERSION), WORKER_FORM_KEY])
  const form = Number(values.get(WORKER_FORM_KEY) ?? Number.NaN)
  const headText = values.get(HEAD_KEY) ?? null
  const head = headText === null ? null : parseHead(headText, HEAD_KEY)
  const history = parseHistory(values.get(HISTORY_KEY) ?? null)
  // A publish that died between writing the history and writing head left the live head in the
  // history too: it is the live version, not an earlier one.
  return {
    headText,
    head,
    history: { ...history, entries: history.entries.filter((entry) => entry.version !== head?.version) },
    rendersKept: values.get(rendersKeptKey(RENDERER_VERSION)) != null,
    workerForm: Number.isInteger(form) ? form : null,
  }
}

export function parseHead(text: string, where: string): StoredHead {
  const result = v.safeParse(StoredHeadSchema, safeJson(text, decodeHead))
  if (!result.success) {
    const issue = result.issues[0]
    throw new TargetError(
      `the target's "${where}" is not a Quire head (${issue ? `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}` : 'not JSON'}); ` +
        `is ${BINDING} bound to another namespace?`,
    )
  }
  return result.output
}

export function parseHistory(text: string | null): History {
  if (text === null) return { schema: 1, entries: [] }
  const result = v.safeParse(HistorySchema, safeJson(text))
  if (!result.success) throw new TargetError(`the target's "${HISTORY_KEY}" is not a Quire history: ${result.issues[0]?.message}`)
  return result.output
}

function safeJson(text: string, decode: (text: string) => unknown = JSON.parse): unknown {
  try {
    return decode(text)
  } catch {
    return undefined
  }
}

/**
 * What the history keeps of a head that stops being live: its counts, and its exact bytes only if
 * its version's manifest does not hold them. Keeping them once, in the manifest, keeps the history
 * (read and written by every publish) a few bytes a version instead of a whole head a version.
 */
export function replacedHead(head: StoredHead, text: string, manifest: Manifest | null | undefined): ReplacedHead {
  const counts = { version: head.version, posts: countPosts(head), pages: head.pages.length }
  return manifest?.head === text ? counts : { ...counts, head: text }
}

/**
 * The history once `replaced` stops being live at `at`: it goes first, any older copy of the same
 * version goes (a version is listed once, at its latest time), and only the newest are kept.
 */
export function pushHistory(history: History, replaced: ReplacedHead, at: number): History {
  const { version, ...rest } = replaced
  const entries = [{ version, replacedAt: at, ...rest }, ...history.entries.filter((entry) => entry.version !== version)]
  return { schema: 1, entries: entries.slice(0, HISTORY_LIMIT) }
}

/** When the live head went live: the time the one before it was replaced, if known. */
export const liveSince = (history: History): number | undefined => history.entries[0]?.replacedAt

/**
 * The key of a version's manifest: the version's head, exactly as written, and every blob hash it
 * names, as the build that made it listed them, written before the head. Publish and prune read
 * manifests instead of following the head's references themselves, so a new kind of blob in the
 * data model is never mistaken for an unused one; rollback takes a head's bytes from its manifest
 * when the history does not keep them. Only the CLI reads them.
 */
export const MANIFEST_PREFIX = 'manifest:'
export const manifestKey = (version: string): string => MANIFEST_PREFIX + version
export const versionOfManifestKey = (key: string): string => key.slice(MANIFEST_PREFIX.length)

export interface Manifest {
  blobs: Set<string>
  /** The version's head, exactly as written; null in a manifest written by an older Quire. */
  head: string | null
}

export const serializeManifest = (headText: string, hashes: Iterable<string>): string => JSON.stringify({ head: headText, blobs: [...hashes].sort() })

// Older Quires wrote a manifest as the list of hashes alone.
const ManifestSchema = v.union([v.array(v.string()), v.object({ head: v.string(), blobs: v.array(v.string()) })])

/** The manifests of `versions`, in one wrangler call; null for a version that has none. */
export async function readManifests(kv: Kv, versions: string[]): Promise<Map<string, Manifest | null>> {
  const values = await kv.bulkGet(versions.map(manifestKey))
  const manifests = new Map<string, Manifest | null>()
  for (const version of versions) {
    const text = values.get(manifestKey(version)) ?? null
    if (text === null) {
      manifests.set(version, null)
      continue
    }
    const result = v.safeParse(ManifestSchema, safeJson(text))
    if (!result.success) throw new TargetError(`${manifestKey(version)} in the target is not a Quire manifest (a head and a list of blob hashes)`)
    const parsed = result.output
    manifests.set(version, Array.isArray(parsed) ? { blobs: new Set(parsed), head: null } : { blobs: new Set(parsed.blobs), head: parsed.head })
  }
  return manifests
}

export interface ArchiveShards {
  shards: Map<string, Shard>
  /** Shards a head names that the target does not have. */
  missing: string[]
}

/**
 * The archive shards of `heads`: taken from `local` (this build's blobs, which share hashes with
 * anything unchanged) when there, read from the target otherwise, in one wrangler call.
 */
export async function readArchiveShards(kv: Kv, heads: StoredHead[], local: Map<string, string> = new Map()): Promise<ArchiveShards> {
  const shards = new Map<string, Shard>()
  const wanted = new Set<string>()
  for (const head of heads) {
    for (const ref of head.archive) {
      const text = local.get(ref.hash)
      if (text !== undefined) shards.set(ref.hash, parseShard(text, ref.hash))
      else wanted.add(ref.hash)
    }
  }
  const missing: string[] = []
  if (wanted.size > 0) {
    const values = await kv.bulkGet([...wanted].map(blobKey))
    for (const hash of wanted) {
      const text = values.get(blobKey(hash))
      if (text === null || text === undefined) missing.push(hash)
      else shards.set(hash, parseShard(text, hash))
    }
  }
  return { shards, missing }
}

function parseShard(text: string, hash: string): Shard {
  const result = v.safeParse(StoredShardSchema, safeJson(text, decodeShard))
  if (!result.success) throw new TargetError(`${blobKey(hash)} is not an index shard: ${result.issues[0]?.message}`)
  return result.output
}

export interface PostRef {
  path: string
  title: string
  hash: string
}

/** The posts `head` publishes, by URL, newest first. */
export function postsOfHead(head: StoredHead, shards: Map<string, Shard>): Map<string, PostRef> {
  const posts = new Map<string, PostRef>()
  for (const ref of head.archive) {
    const shard = shards.get(ref.hash)
    if (!shard) throw new TargetError(`the target's head ${head.version} names ${blobKey(ref.hash)}, which the target does not have`)
    for (const post of shard.posts) posts.set(post.path, { path: post.path, title: post.title, hash: post.hash })
  }
  return posts
}

export const countPosts = (head: StoredHead): number => head.archive.reduce((sum, ref) => sum + ref.count, 0)
