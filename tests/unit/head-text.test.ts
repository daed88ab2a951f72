import { describe, expect, it } from 'vitest'
import { buildSite } from '../../src/build/build'
import { readContentFiles } from '../../src/cli/content-files'
import { decodeArchive, decodeHead, encodeArchive, encodeHead, labelShardLines, splitHead } from '../../src/content/head-text'
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
    const core = JSON.parse(parts.core) as { archive: string; labels: object[] }
    const shards = JSON.parse(parts.labelShards) as unknown[]
    expect({ ...core, archive: decodeArchive(core.archive), labels: core.labels.map((l, i) => ({ ...l, shards: shards[i] })) }).toEqual(build.head)
  })

  it('tells a head written whole, before the split, from one written in parts', () => {
    for (const whole of [JSON.stringify(build.head), JSON.stringify(build.head, null, 1)]) {
      expect(splitHead(whole)).toBeNull()
      expect(decodeHead(whole)).toEqual(build.head)
    }
  })

  it('keeps the archive’s refs as a line per shard, and reads them back', () => {
    const text = encodeArchive(build.head.archive)
    expect(text.split('\n')).toHaveLength(build.head.archive.length)
    const first = build.head.archive[0]
    if (!first) throw new Error('the sample blog has no archive')
    expect(text.split('\n')[0]).toBe(
      [first.hash, first.count, first.newest, first.oldest, ...first.months.flatMap((m) => [m.month, m.count, m.lastmod])].join(' '),
    )
    expect(decodeArchive(text)).toEqual(build.head.archive)
    expect(decodeArchive(encodeArchive([]))).toEqual([])
    expect(JSON.parse(build.headJson).archive).toBe(text)
    // A head written before the lines still reads, whole or split.
    const before = `${JSON.stringify({ ...build.head, labels: build.head.labels.map(({ shards: _, ...l }) => l) }).slice(0, -1)},\n"labelShards":[\n${build.head.labels.map((l) => JSON.stringify(l.shards)).join(',\n')}\n]}`
    expect(decodeHead(before)).toEqual(build.head)
  })

  it('says which line of the archive is wrong, and why', () => {
    const first = build.head.archive[0]
    if (!first) throw new Error('the sample blog has no archive')
    const lines = encodeArchive([first, { ...first, hash: 'f'.repeat(64) }]).split('\n')
    expect(lines).toHaveLength(2)
    const broken = (i: number, line: string) => lines.map((l, at) => (at === i ? line : l)).join('\n')
    const line = lines[1] ?? ''
    expect(() => decodeArchive(broken(1, line.split(' ').slice(0, 6).join(' ')))).toThrow(/^line 2 of the archive's shards has not a hash, a count, two dates and months/)
    expect(() => decodeArchive(broken(1, line.replace(/ \d+ /, ' 1.5 ')))).toThrow(/^line 2 of the archive's shards has an empty field or a count that is not a whole number/)
    expect(() => decodeArchive(broken(1, line.replace(' ', '  ').slice(0, -1)))).toThrow(/^line 2 /)
    expect(() => decodeArchive(broken(0, line.replace(/ (\d{4})-(\d{2}) /, ' $1/$2 ')))).toThrow(/^line 1 of the archive's shards has a month that is not YYYY-MM/)
    expect(decodeArchive(lines.join('\n'))).toEqual([first, { ...first, hash: 'f'.repeat(64) }])
    const fields = line.split(' ')
    const withField = (i: number, value: string) => broken(1, fields.map((f, at) => (at === i ? value : f)).join(' '))
    expect(() => decodeArchive(withField(1, '07'))).toThrow(/^line 2 .* a count that is not a whole number/)
    expect(() => decodeArchive(withField(5, '-3'))).toThrow(/^line 2 .* a month that is not YYYY-MM with a whole count/)
    expect(() => decodeArchive(withField(4, '2026-1a'))).toThrow(/^line 2 .* a month that is not YYYY-MM/)
    expect(() => decodeArchive(broken(1, `${line} 2026-01 3`))).toThrow(/^line 2 .* months of three fields each/)
    expect(() => decodeArchive(broken(1, `${line} `))).toThrow(/^line 2 /)
    expect(() => decodeArchive(`${lines[0]}\n\n${lines[1]}`)).toThrow(/^line 2 /)
    expect(decodeArchive(broken(1, `${line} 2026-01 3 2026-01-31T00:00:00Z`))[1]?.months.at(-1)).toEqual({ month: '2026-01', count: 3, lastmod: '2026-01-31T00:00:00Z' })
    expect(() => encodeArchive([{ ...first, newest: '2026-01-01 12:00' }])).toThrow(/holds a space/)
  })
})
