import * as v from 'valibot'
import { check, ContentUnavailableError } from './checked'
import { type PostLink, PostLinkSchema, type PostSummary, PostSummarySchema, ShardSchema } from './schema'
import { encodeShard, isShardText, ShardLines } from './shard-text'

const ShardLinksSchema = v.object({ older: v.nullable(PostLinkSchema), newer: v.nullable(PostLinkSchema) })

/**
 * A shard as the Worker reads it (the text of src/content/shard-text.ts): every post's path and date
 * at once, a post's summary parsed and checked only when a page asks for it, once.
 */
export class StoredShard extends ShardLines {
  readonly older: PostLink | null
  readonly newer: PostLink | null
  readonly #key: string
  readonly #posts: (PostSummary | undefined)[] = []

  constructor(text: string, key: string) {
    super(text)
    this.#key = key
    const links = check(ShardLinksSchema, JSON.parse(this.links), key)
    this.older = links.older
    this.newer = links.newer
  }

  /** Post `i`'s summary; a ContentUnavailableError if it is malformed or disagrees with its line. */
  post(i: number): PostSummary {
    const known = this.#posts[i]
    if (known) return known
    const where = `${this.#key} (post ${i + 1})`
    let json: unknown
    try {
      json = JSON.parse(this.jsonAt(i))
    } catch (cause) {
      throw new ContentUnavailableError(`KV value "${where}" cannot be read`, { cause })
    }
    const post = check(PostSummarySchema, json, where)
    if (post.path !== this.pathAt(i) || post.date !== this.dateAt(i)) {
      throw new ContentUnavailableError(`KV value "${where}" is listed as ${this.pathAt(i)} at ${this.dateAt(i)} but is ${post.path} at ${post.date}`)
    }
    this.#posts[i] = post
    return post
  }

  /** Every post, parsed: for the pages that show a whole shard. */
  posts(): PostSummary[] {
    return Array.from({ length: this.count }, (_, i) => this.post(i))
  }
}

/** A shard's text in either form: a shard written as one JSON document is checked whole and rewritten. */
export function storedShard(text: string, key: string): StoredShard {
  return new StoredShard(isShardText(text) ? text : encodeShard(check(ShardSchema, JSON.parse(text), key)), key)
}
