import * as v from 'valibot'
import { HEAD_KEY } from './keys'
import { decodeArchive, labelShardLines, splitHead } from './head-text'
import { type Head, HeadCoreSchema, HeadSchema, type Label, LabelShardRefsSchema, LabelShardsSchema, type ShardRef } from './schema'

// Stored values read and checked: what the Worker does with every value it reads from KV (kv.ts),
// and what the CLI does before a deploy, to be sure the code it ships reads what the target serves.
// Nothing here reads KV.

/** KV could not give us what the head promises: the page is unavailable, not missing (503). */
export class ContentUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ContentUnavailableError'
  }
}

/** Reads a value's text; `key` names the value in errors found later (a shard's posts are checked when shown). */
export type Decode = (text: string, key: string) => unknown
export const parseJson: Decode = (text) => JSON.parse(text)

/**
 * The head, checked, from its text: its labels' shard refs are parsed and checked the first time a
 * route reads a label's `shards` (head-text.ts), so a page that names no label never pays for them.
 * The CLI's too: a deploy checks that the code it ships reads the live head.
 */
export function parseHead(text: string): Head {
  const parts = splitHead(text)
  if (!parts) return parse(HeadSchema, text, HEAD_KEY, parseJson)
  const core = parse(HeadCoreSchema, parts.core, HEAD_KEY, parseJson)
  if (typeof core.archive === 'string') {
    try {
      core.archive = decodeArchive(core.archive)
    } catch (cause) {
      throw new ContentUnavailableError(`KV value "${HEAD_KEY}" cannot be read: ${(cause as Error).message}`, { cause })
    }
  }
  const head = core as Head
  // A line per label: only a label's own line is parsed and checked, the first time it is asked
  // for, and the lines are found only then (at 10,000 posts they are more than half the head).
  // Refs all on one line (older heads) are parsed once, each label's checked on its own.
  let lines: string[] | null | undefined
  let all: unknown[] | undefined
  const shardsOf = (index: number, key: string): ShardRef[] => {
    if (lines === undefined) lines = labelShardLines(parts.labelShards)
    const listed = lines ?? (all ??= parse(LabelShardsSchema, parts.labelShards, `${HEAD_KEY} (its labels' shards)`, parseJson))
    if (listed.length !== head.labels.length) {
      throw new ContentUnavailableError(`KV value "${HEAD_KEY}" lists the shards of ${listed.length} labels for its ${head.labels.length}`)
    }
    const where = `${HEAD_KEY} (the shards of the label "${key}")`
    return lines ? parse(LabelShardRefsSchema, lines[index] as string, where, parseJson) : check(LabelShardRefsSchema, all?.[index], where)
  }
  head.labels = head.labels.map((label, i) => new HeadLabel(label, i, shardsOf))
  return head
}

/**
 * A label of a parsed head, whose shard refs are read the first time `shards` is. The getter is
 * the class's: one defined on each label object gave every parse's labels a hidden class of their
 * own, which held that parse's closures, and so its whole head, until a full collection. At 10,000
 * posts a head took about three times as long to parse, most of it in the collector.
 */
class HeadLabel implements Label {
  readonly name: string
  readonly key: string
  readonly count: number
  readonly #index: number
  readonly #shardsOf: (index: number, key: string) => ShardRef[]
  #shards: ShardRef[] | undefined

  constructor(label: Omit<Label, 'shards'>, index: number, shardsOf: (index: number, key: string) => ShardRef[]) {
    this.name = label.name
    this.key = label.key
    this.count = label.count
    this.#index = index
    this.#shardsOf = shardsOf
  }

  get shards(): ShardRef[] {
    this.#shards ??= this.#shardsOf(this.#index, this.key)
    return this.#shards
  }
}

export function parse<S extends v.GenericSchema>(schema: S, text: string, key: string, decode: Decode): v.InferOutput<S> {
  let json: unknown
  try {
    json = decode(text, key)
  } catch (cause) {
    throw new ContentUnavailableError(`KV value "${key}" cannot be read`, { cause })
  }
  return check(schema, json, key)
}

/** `json` as `schema` has it, or a ContentUnavailableError that says where it differs. */
export function check<S extends v.GenericSchema>(schema: S, json: unknown, key: string): v.InferOutput<S> {
  const result = v.safeParse(schema, json)
  if (!result.success) {
    const issue = result.issues[0]
    const where = issue ? v.getDotPath(issue) ?? '(root)' : '(root)'
    throw new ContentUnavailableError(`KV value "${key}" does not match its schema at ${where}: ${issue?.message}`)
  }
  return result.output
}
