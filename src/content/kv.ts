import * as v from 'valibot'
import { blobKey, HEAD_KEY } from './keys'
import { ByteLru, clearAllLru } from './lru'
import { ContentUnavailableError, type Decode, parse, parseHead, parseJson } from './checked'
import type { Head } from './schema'

// L1: what this isolate already read. `head` is the only key that changes, so it is kept for a few
// seconds; blobs never change, so they stay until the byte budget pushes them out.
const HEAD_MEMO_MS = 5_000
const BLOB_BUDGET_BYTES = 8 * 1024 * 1024
// Edge-cache lifetimes for KV reads: the head must move soon after a publish, blobs never move.
const HEAD_CACHE_TTL_S = 60
const BLOB_CACHE_TTL_S = 365 * 24 * 3600
// A derived value may be missing, and KV keeps a miss as long as a hit: the shortest it allows, so
// that a render another isolate kept is found within a minute.
const DERIVED_CACHE_TTL_S = 60

let memoHead: { head: Head | null; at: number; kv: KVNamespace; text: string | null } | null = null
const blobs = new ByteLru<unknown>(BLOB_BUDGET_BYTES)

/** Drops what this isolate remembers: for tests that measure KV reads from a cold isolate. */
export function clearIsolateCache(): void {
  memoHead = null
  clearAllLru()
}

/** Drops one derived value from this isolate: for benchmarks that time the render it would skip. */
export function forgetDerived(key: string): void {
  blobs.delete(key)
}

/** How long one KV read may take before it counts as failed; one retry follows. */
export const KV_READ_TIMEOUT_MS = 1_500
const KV_READ_ATTEMPTS = 2

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => {
    if (timer !== null) clearTimeout(timer)
  })
}

/** One KV request, with a time limit and one retry; a request that fails both times makes the page unavailable. */
async function request<T>(what: string, send: () => Promise<T>): Promise<T> {
  let lastError: unknown
  for (let attempt = 1; attempt <= KV_READ_ATTEMPTS; attempt++) {
    try {
      return await withTimeout(send(), KV_READ_TIMEOUT_MS, what)
    } catch (error) {
      lastError = error
    }
  }
  throw new ContentUnavailableError(`${what} failed ${KV_READ_ATTEMPTS} times`, { cause: lastError })
}

/**
 * A blob of bytes (an image) as KV keeps it, read past the isolate's caches: its page, the image,
 * is kept in them instead.
 */
export async function readBlobBytes(kv: KVNamespace, hash: string): Promise<ArrayBuffer> {
  const key = blobKey(hash)
  const bytes = await request(`KV read of "${key}"`, () => kv.get(key, { type: 'arrayBuffer', cacheTtl: BLOB_CACHE_TTL_S }))
  if (bytes === null) throw new ContentUnavailableError(`KV has no "${key}" yet`)
  return bytes
}

function getText(kv: KVNamespace, key: string, cacheTtl: number): Promise<string | null> {
  return request(`KV read of "${key}"`, () => kv.get(key, { type: 'text', cacheTtl }))
}

/** KV's own bound on the keys of one bulk read. */
const BULK_READ_KEYS = 100

/** Several keys in one request to KV per hundred keys: one round trip, one of the Worker's subrequests. */
async function getTexts(kv: KVNamespace, keys: string[], cacheTtl: number): Promise<Map<string, string | null>> {
  if (keys.length === 1) {
    const key = keys[0] as string
    return new Map([[key, await getText(kv, key, cacheTtl)]])
  }
  const chunks: string[][] = []
  for (let i = 0; i < keys.length; i += BULK_READ_KEYS) chunks.push(keys.slice(i, i + BULK_READ_KEYS))
  const maps = await Promise.all(
    chunks.map((chunk) =>
      request(`KV read of ${chunk.length} keys ("${chunk[0]}" …)`, () => kv.get(chunk, { type: 'text', cacheTtl })),
    ),
  )
  return new Map(maps.flatMap((map) => [...map]))
}

/**
 * The head this isolate read from `kv` less than a few seconds ago (null before the first
 * publish), or undefined when it must be read again: lets a cache hit be answered without waiting.
 */
export function peekHead(kv: KVNamespace, now = Date.now()): Head | null | undefined {
  return memoHead && memoHead.kv === kv && now - memoHead.at < HEAD_MEMO_MS ? memoHead.head : undefined
}

/** The live head, or null before the first publish. */
export async function readHead(kv: KVNamespace): Promise<Head | null> {
  const now = Date.now()
  const known = peekHead(kv, now)
  if (known !== undefined) return known
  let head: Head | null
  let text: string | null
  try {
    text = await getText(kv, HEAD_KEY, HEAD_CACHE_TTL_S)
    // Usually the head read again a few seconds later is the one already parsed: at 10,000 posts,
    // comparing the text costs far less than parsing and validating it again.
    head = text === null ? null : memoHead?.kv === kv && memoHead.text === text ? memoHead.head : parseHead(text)
  } catch (error) {
    // A head this isolate read before is still a whole, consistent version: better than none.
    if (memoHead?.kv === kv && memoHead.head) {
      console.error(error)
      return memoHead.head
    }
    throw error
  }
  memoHead = { head, at: now, kv, text }
  return head
}

/**
 * A blob the head refers to. It must exist: a missing one means the publish that wrote the head
 * has not reached this data center yet, so the caller answers 503, never a cached 404.
 */
export async function readBlob<S extends v.GenericSchema>(
  kv: KVNamespace,
  hash: string,
  schema: S,
): Promise<v.InferOutput<S>> {
  return (await readBlobs(kv, [hash], schema))[0] as v.InferOutput<S>
}

/**
 * Blobs the head refers to, in the order of `hashes`: those this isolate holds from memory, the rest
 * in one bulk read, so a page that needs several shards or buckets waits for one round trip.
 * `decode` reads a blob that is not JSON; it is given the blob's key for what it reports later.
 */
export async function readBlobs<S extends v.GenericSchema>(
  kv: KVNamespace,
  hashes: string[],
  schema: S,
  decode: Decode = parseJson,
): Promise<v.InferOutput<S>[]> {
  const keys = hashes.map(blobKey)
  const values = await readKept(kv, keys, schema, BLOB_CACHE_TTL_S, decode, (error) => {
    throw error
  })
  return keys.map((key) => {
    const value = values.get(key)
    if (value === null || value === undefined) throw new ContentUnavailableError(`KV has no "${key}" yet`)
    return value
  })
}

/**
 * Values from the isolate's memory, or read from KV in one request, validated and remembered; null
 * for a key KV has none of. `unreadable` says what a value that fails to decode or validate becomes.
 */
async function readKept<S extends v.GenericSchema>(
  kv: KVNamespace,
  keys: string[],
  schema: S,
  cacheTtl: number,
  decode: Decode,
  unreadable: (error: unknown) => null,
): Promise<Map<string, v.InferOutput<S> | null>> {
  const found = new Map<string, v.InferOutput<S> | null>()
  const missing: string[] = []
  for (const key of new Set(keys)) {
    const cached = blobs.get(key)
    if (cached !== undefined) found.set(key, cached as v.InferOutput<S>)
    else missing.push(key)
  }
  if (missing.length === 0) return found
  const texts = await getTexts(kv, missing, cacheTtl)
  for (const key of missing) {
    const text = texts.get(key) ?? null
    if (text === null) {
      found.set(key, null)
      continue
    }
    try {
      const value = parse(schema, text, key, decode)
      blobs.set(key, value, text.length)
      found.set(key, value)
    } catch (error) {
      found.set(key, unreadable(error))
    }
  }
  return found
}

/**
 * Values the Worker derived from immutable blobs and kept in KV (renders), in the order of `keys`,
 * null where there is none yet, read in one request. A failed or malformed read is a miss, never an
 * error: the value can be made again. `decode` reads what keepDerived's `encode` wrote.
 */
export async function readDerived<S extends v.GenericSchema>(
  kv: KVNamespace,
  keys: string[],
  schema: S,
  decode: Decode = parseJson,
): Promise<(v.InferOutput<S> | null)[]> {
  const miss = (error: unknown) => {
    console.error(error)
    return null
  }
  try {
    const values = await readKept(kv, keys, schema, DERIVED_CACHE_TTL_S, decode, miss)
    return keys.map((key) => values.get(key) ?? null)
  } catch (error) {
    return keys.map(() => miss(error))
  }
}

/**
 * Keeps a derived value in the isolate at once and in KV once `write` runs (after the response, via
 * waitUntil). It stays until `quire prune` deletes it.
 */
export function keepDerived<T>(kv: KVNamespace, key: string, value: T, encode: (value: T) => string = JSON.stringify): () => Promise<void> {
  const text = encode(value)
  blobs.set(key, value, text.length)
  return async () => {
    try {
      await kv.put(key, text)
    } catch (error) {
      // Another isolate writing the same key at the same moment, or a write quota: the next
      // request renders again, nothing is lost.
      console.error(`could not keep "${key}":`, error)
    }
  }
}
