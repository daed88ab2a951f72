import * as v from 'valibot'
import { readBlobs } from './kv'
import { StoredShard, storedShard } from './stored-shard'

const StoredShardSchema = v.instance(StoredShard)

/** Shards the head refers to, in the order of `hashes`, in one bulk read (kv.ts readBlobs). */
export function readShards(kv: KVNamespace, hashes: string[]): Promise<StoredShard[]> {
  return readBlobs(kv, hashes, StoredShardSchema, storedShard)
}

export async function readShard(kv: KVNamespace, hash: string): Promise<StoredShard> {
  return (await readShards(kv, [hash]))[0] as StoredShard
}
