import { describe, expect, it } from 'vitest'
import { buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { decodeHead, encodeHead, labelShardLines, splitHead } from '../../src/content/head-text'
import { ROOT } from '../cli/helpers'

describe('the head as KV keeps it', async () => {
  const build = await buildSite(await readContentFiles(`${ROOT}/content`), { now: Date.parse('2026-11-26T12:00:00Z') })

  it('is one JSON document, with the labels’ shard refs at its end, a line per label', () => {
    const text = encodeHead(build.head)
    expect(text).toBe(build.headJson)
    const lines = text.split('\n')
    expect(lines[1]).toBe('"labelShards":[')
    expect(lines.at(-1)).toBe(']}')
    expect(lines.slice(2, -1)).toEqual(build.head.labels.map((l, i, all) => JSON.stringify(l.shards) + (i < all.length - 1 ? ',' : '')))
    const json = JSON.parse(text) as { labels: object[]; labelShards: unknown[] }
    expect(json.labels.every((label) => !('shards' in label))).toBe(true)
    expect(json.labelShards).toEqual(build.head.labels.map((l) => l.shards))
  })

  it('gives each label’s line on its own, or null for refs written on one line', () => {
    const parts = splitHead(build.headJson)
    if (!parts) throw new Error('the head did not split')
    const lines = labelShardLines(parts.labelShards)
    expect(lines?.map((line) => JSON.parse(line) as unknown)).toEqual(build.head.labels.map((l) => l.shards))
    expect(labelShardLines(JSON.stringify(build.head.labels.map((l) => l.shards)))).toBeNull()
    const none = splitHead(encodeHead({ ...build.head, labels: [] }))
    expect(none && labelShardLines(none.labelShards)).toEqual([])
    expect(JSON.parse(encodeHead({ ...build.head, labels: [] })).labelShards).toEqual([])
  })

  it('reads back as the head it was made from, whole or in its two parts', () => {
    expect(decodeHead(build.headJson)).toEqual(build.head)
    const parts = splitHead(build.headJson)
    if (!parts) throw new Error('the head did not split')
    const core = JSON.parse(parts.core) as { labels: object[] }
    const shards = JSON.parse(parts.labelShards) as unknown[]
    expect({ ...core, labels: core.labels.map((l, i) => ({ ...l, shards: shards[i] })) }).toEqual(build.head)
  })

  it('tells a head written whole, before the split, from one written in parts', () => {
    for (const whole of [JSON.stringify(build.head), JSON.stringify(build.head, null, 1)]) {
      expect(splitHead(whole)).toBeNull()
      expect(decodeHead(whole)).toEqual(build.head)
    }
  })
})
