import { describe, expect, it } from 'vitest'
import { ARCHIVE_SHARD_POSTS, buildSite, LABEL_SHARD_POSTS, type ContentFiles, slugFromFile, type SourceFile } from '../../src/build/build'
import { sha256 } from '../../src/content/keys'
import { bucketPostings, decodePostings } from '../../src/content/postings'
import type { SearchDirectory } from '../../src/content/schema'
import { FEED_ENTRIES } from '../../src/content/shard-text'
import { buildProblems } from './build-problems'

const SITE: SourceFile = {
  path: 'content/site.yaml',
  text: 'title: Test Blog\nauthor: Ada\nbaseUrl: https://blog.example.com/\ntimeZone: America/New_York\n',
}
const NOW = Date.parse('2026-06-01T00:00:00Z')

function post(path: string, front: string, body = 'Some words here.\n'): SourceFile {
  return { path: `content/posts/${path}`, text: `---\n${front}\n---\n${body}` }
}

function files(posts: SourceFile[], pages: SourceFile[] = []): ContentFiles {
  return { site: SITE, posts, pages }
}

const problems = (content: ContentFiles): Promise<string[]> => buildProblems(content, NOW)

describe('validation', () => {
  it('names the file, line and field of every problem, all at once', async () => {
    const found = await problems(
      files([
        post('a.md', 'date: 2026-03-03T08:00:00Z\nlabels: [Django]'),
        post('b.md', 'title: "B"\ndate: someday'),
        post('c.md', 'title: C\ndate: 2026-03-03\nlabels: [1, 2]'),
        post('d.md', 'title: D\ndate: 2026-03-04\nlables: [Typo]'),
        post('e.md', 'title: ""\ndate: 2026-03-05'),
      ]),
    )
    expect(found).toEqual([
      'content/posts/a.md:1: title: is required',
      'content/posts/b.md:3: date: cannot read "someday" as a date; write e.g. 2026-03-03T08:30:00-05:00, or 2026-03-03 08:30 in the site\'s time zone',
      'content/posts/c.md:4: labels: must be a list of names, e.g. labels: [Django, Python]',
      'content/posts/d.md:4: lables: unknown field "lables"',
      'content/posts/e.md:2: title: must not be empty',
    ])
  })

  it('reports YAML syntax errors with line and column', async () => {
    const [message] = await problems(files([post('bad.md', 'title: "Unclosed\ndate: 2026-03-03')]))
    expect(message).toMatch(/^content\/posts\/bad\.md:[2-4]:\d+: YAML: Missing closing "quote/)
  })

  it('reports a file without front matter', async () => {
    const found = await problems(files([{ path: 'content/posts/plain.md', text: '# Just a heading\n' }]))
    expect(found).toEqual(['content/posts/plain.md:1: the file must start with front matter between two "---" lines'])
  })

  it('refuses two posts that map to the same URL', async () => {
    const found = await problems(
      files([
        post('2026/03/same.md', 'title: One\ndate: 2026-03-03T10:00:00-05:00'),
        post('old/same.md', 'title: Two\ndate: 2026-03-20T10:00:00-04:00'),
      ]),
    )
    expect(found).toEqual([
      'content/posts/old/same.md: has the same URL as content/posts/2026/03/same.md: /2026/03/same.html',
    ])
  })

  it('checks the site settings', async () => {
    const found = await problems({
      site: { path: 'content/site.yaml', text: 'title: X\nauthor: Y\nbaseUrl: not a url\ntimeZone: Mars/Olympus\npostsPerPage: 0\n' },
      posts: [],
      pages: [],
    })
    expect(found).toEqual([
      'content/site.yaml:3: baseUrl: must be an absolute URL such as https://blog.example.com',
      'content/site.yaml:4: timeZone: must be an IANA time zone such as Europe/Paris',
      'content/site.yaml:5: postsPerPage: must be at least 1',
    ])
  })
})

describe('slugs and URLs', () => {
  it('takes the slug from the file name, and the month from the date in the site time zone', async () => {
    const build = await buildSite(
      files([post('2026/04/late-night.md', 'title: Late\ndate: 2026-03-31T23:30:00-04:00')]),
      { now: NOW },
    )
    expect(build.posts.map((p) => p.path)).toEqual(['/2026/03/late-night.html'])
    expect(build.posts[0]?.date).toBe('2026-03-31T23:30:00-04:00')
  })

  it('lets front matter choose the slug', async () => {
    const build = await buildSite(files([post('x.md', 'title: X\ndate: 2026-01-02\nslug: chosen-one')]), { now: NOW })
    expect(build.posts[0]?.path).toBe('/2026/01/chosen-one.html')
  })

  it('accepts only URL-safe file names as slugs', () => {
    expect(slugFromFile('content/posts/2026/03/hello-world.md')).toBe('hello-world')
    expect(slugFromFile('content/posts/Hello World.md')).toBeNull()
  })
})

describe('the build', () => {
  const sample = files([
    post('one.md', 'title: One\ndate: 2026-01-10T10:00:00Z\nlabels: [Django, ORM]'),
    post('two.md', 'title: Two\ndate: 2026-02-10T10:00:00Z\nlabels: [django]'),
    post('three.md', 'title: Three\ndate: 2026-02-20T10:00:00Z\ndraft: true'),
    post('four.md', 'title: Four\ndate: 2026-07-01T10:00:00Z\nlabels: [Django]'),
  ], [{ path: 'content/pages/about.md', text: '---\ntitle: About\n---\nHi.\n' }])

  it('is deterministic: the same input gives the same bytes, whatever the file order', async () => {
    const a = await buildSite(sample, { now: NOW })
    const b = await buildSite({ ...sample, posts: [...sample.posts].reverse() }, { now: NOW })
    expect(b.headJson).toBe(a.headJson)
    expect([...b.blobs.keys()].sort()).toEqual([...a.blobs.keys()].sort())
  })

  it('leaves drafts out unless asked, and records posts dated after the build as scheduled', async () => {
    const build = await buildSite(sample, { now: NOW })
    expect(build.posts.map((p) => p.title)).toEqual(['Four', 'Two', 'One'])
    expect(build.head.scheduled).toEqual([{ path: '/2026/07/four.html', date: '2026-07-01T06:00:00-04:00', labels: ['django'] }])
    const withDrafts = await buildSite(sample, { now: NOW, drafts: true })
    expect(withDrafts.posts.map((p) => p.title)).toContain('Three')
  })

  it('merges labels that differ only in case, shown as most posts write them', async () => {
    const build = await buildSite(sample, { now: NOW })
    expect(build.head.labels.map((l) => [l.name, l.key, l.count])).toEqual([
      ['Django', 'django', 3],
      ['ORM', 'orm', 1],
    ])
  })

  it('names the version after the content', async () => {
    const a = await buildSite(sample, { now: NOW })
    const edited = { ...sample, posts: [post('one.md', 'title: One!\ndate: 2026-01-10T10:00:00Z'), ...sample.posts.slice(1)] }
    const b = await buildSite(edited, { now: NOW })
    expect(a.head.version).toMatch(/^[0-9a-f]{16}$/)
    expect(b.head.version).not.toBe(a.head.version)
  })
})

describe('the search index', () => {
  it('files each term of titles, labels, headings and summaries under its bucket, weighted by where it appears', async () => {
    const build = await buildSite(
      files([
        post('a.md', 'title: Tuning PostgreSQL\ndate: 2026-01-10T10:00:00Z\nlabels: [Databases]', '## Vacuum settings\n\nAutovacuum matters.\n'),
        post('b.md', 'title: Other\ndate: 2026-01-11T10:00:00Z\nsummary: A note on PostgreSQL.', 'Body words beyond the summary are not indexed: zebra.\n'),
      ]),
      { now: NOW },
    )
    const directory = build.head.search as SearchDirectory
    expect(directory.buckets).toHaveLength(8)
    const postings = (term: string) => {
      for (const hash of directory.buckets) {
        const postings = bucketPostings(build.blobs.get(hash) ?? '', term)
        if (postings) return [...decodePostings(postings)]
      }
      return []
    }
    expect(postings('postgresql')).toEqual([['2026/01/a', 4], ['2026/01/b', 1]])
    expect(postings('vacuum')).toEqual([['2026/01/a', 2 + 1]])
    expect(postings('databases')).toEqual([['2026/01/a', 3]])
    expect(postings('zebra')).toEqual([])
    expect(postings('the')).toEqual([])
  })
})

describe('shards', () => {
  // Four posts a month from January 2020: 48 a year.
  const many = (count: number) =>
    Array.from({ length: count }, (_, i) => {
      const month = (i >> 2) % 12
      const year = 2020 + Math.floor(i / 48)
      const day = 1 + (i % 4) * 7
      const date = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00Z`
      return post(`p${i}.md`, `title: Post ${i}\ndate: ${date}\nlabels: [${i % 2 ? 'Odd' : 'Even'}]`)
    })

  it('keeps every month whole in one archive shard, and counts every post once', async () => {
    const build = await buildSite(files(many(300)), { now: NOW })
    const months = build.head.archive.flatMap((s) => s.months.map((m) => m.month))
    expect(new Set(months).size).toBe(months.length)
    expect(build.head.archive.reduce((n, s) => n + s.count, 0)).toBe(300)
    for (const shard of build.head.archive.slice(1)) expect(shard.count).toBeGreaterThanOrEqual(ARCHIVE_SHARD_POSTS)
  })

  it('writes each shard as a line per post, its path and date before its summary, and names every blob by its hash', async () => {
    const build = await buildSite(files(many(300)), { now: NOW })
    const shards = [...build.head.archive, ...build.head.labels.flatMap((l) => l.shards)]
    expect(shards.length).toBeGreaterThan(5)
    for (const { hash, count } of shards) {
      const [first, links, ...lines] = (build.blobs.get(hash) as string).split('\n')
      expect(first).toBe('shard 1')
      expect(Object.keys(JSON.parse(links as string) as object)).toEqual(['older', 'newer'])
      expect(lines).toHaveLength(count)
      for (const line of lines) {
        const [path, date, json, ...rest] = line.split('\t')
        const summary = JSON.parse(json as string) as { path: string; date: string }
        expect([summary.path, summary.date, rest]).toEqual([path, date, []])
        expect(JSON.stringify(summary)).toBe(json)
      }
    }
    for (const [hash, text] of build.blobs) expect(await sha256(text)).toBe(hash)
  })

  it('keeps a full shard of posts in the newest shard, which the home page, label pages and feeds read', async () => {
    // Counted from the oldest, these leave a short newest run in the archive or in a label (250
    // posts: 125 a label, 5 left over), which must join the shard before it.
    for (const count of [300, 250, 61, 130]) {
      const build = await buildSite(files(many(count)), { now: NOW })
      const newest = build.head.archive[0]
      expect(newest?.count, `${count} posts`).toBeGreaterThanOrEqual(Math.min(count, ARCHIVE_SHARD_POSTS))
      for (const label of build.head.labels) {
        expect(label.shards[0]?.count, `${label.name}, ${count} posts`).toBeGreaterThanOrEqual(Math.min(label.count, LABEL_SHARD_POSTS))
        for (const shard of label.shards.slice(1)) expect(shard.count).toBe(LABEL_SHARD_POSTS)
      }
    }
  })

  it('changes only the newest shards when a new post is added to the newest month', async () => {
    const before = await buildSite(files(many(300)), { now: NOW })
    const after = await buildSite(files([...many(300), post('new.md', 'title: New\ndate: 2026-03-25T00:00:00Z\nlabels: [Odd]')]), { now: NOW })
    const added = new Set([...after.blobs.keys()].filter((hash) => !before.blobs.has(hash)))
    const directory = after.head.search as SearchDirectory
    const index = new Set([...directory.buckets, ...(directory.terms ?? '').split(' ')])
    const searchBlobs = [...added].filter((hash) => index.has(hash))
    // The new post, the newest archive shard, and the newest shard of its label...
    expect(added.size - searchBlobs.length).toBe(3)
    // ...and the buckets (or blobs of their own) of the post's words (New, Odd, Some words here), which the head lists.
    expect(searchBlobs.length).toBeGreaterThanOrEqual(1)
    expect(searchBlobs.length).toBeLessThanOrEqual(5)
  })

  // Every fifth post is labelled Rare too: its 25 newest posts reach past the archive's newest
  // shard (the 60 newest posts), where Odd's and Even's 25 newest do not.
  const withRare = (posts: SourceFile[]) =>
    posts.map((p, i) => (i % 5 === 0 ? { ...p, text: p.text.replace(/labels: \[(\w+)\]/, 'labels: [$1, Rare]') } : p))

  it('writes blob hashes into every archive shard, and into a label’s shard only for the posts of its feed the newest archive shard lacks', async () => {
    const build = await buildSite(files(withRare(many(300))), { now: NOW })
    const linesOf = (hash: string) =>
      (build.blobs.get(hash) as string)
        .split('\n')
        .slice(2)
        .map((line) => JSON.parse(line.split('\t')[2] as string) as { path: string; hash: string })
    const hashOf = new Map(build.posts.map((p) => [p.path, p.hash]))
    const [newestArchive] = build.head.archive
    if (!newestArchive) throw new Error('no archive')
    const inNewestArchive = new Set(linesOf(newestArchive.hash).map((line) => line.path))
    for (const shard of build.head.archive) for (const line of linesOf(shard.hash)) expect(line.hash).toBe(hashOf.get(line.path))
    const withHashes: Record<string, number> = {}
    for (const label of build.head.labels) {
      const lines = label.shards.flatMap((shard) => linesOf(shard.hash))
      lines.forEach((line, rank) => expect(line.hash, `${label.name} ${line.path}`).toBe(rank < FEED_ENTRIES && !inNewestArchive.has(line.path) ? hashOf.get(line.path) : ''))
      withHashes[label.name] = lines.filter((line) => line.hash !== '').length
    }
    // Rare: 25 in a feed, 12 of them in the newest archive shard.
    expect(withHashes).toEqual({ Even: 0, Odd: 0, Rare: 13 })
  })

  it('leaves a label’s shards alone when a post’s body changes, unless the post is among its feed’s posts but not the blog’s newest', async () => {
    // Long enough that a sentence added at the end changes neither the snippet nor the reading time.
    const paragraph = `\n${'A sentence of eight words that fills the page. '.repeat(40)}\n`
    const posts = withRare(many(300)).map((p) => ({ ...p, text: `${p.text}${paragraph}` }))
    const edited = (i: number) => posts.map((p, j) => (j === i ? { ...p, text: `${p.text}One more sentence.\n` } : p))
    const before = await buildSite(files(posts), { now: NOW })
    const changedShards = async (i: number) => {
      const after = await buildSite(files(edited(i)), { now: NOW })
      const labels = after.head.labels.flatMap((l) => l.shards.map((s) => s.hash)).filter((hash) => !before.blobs.has(hash))
      const archive = after.head.archive.map((s) => s.hash).filter((hash) => !before.blobs.has(hash))
      return { archive: archive.length, labels: labels.length }
    }
    // p10 is among the oldest posts; p299 the newest (in the newest archive shard); p150 in its
    // label's newest shard, but past the posts of its feed; p235 among the posts of Rare's feed,
    // and not in the newest archive shard.
    expect(await changedShards(10)).toEqual({ archive: 1, labels: 0 })
    expect(await changedShards(299)).toEqual({ archive: 1, labels: 0 })
    expect(await changedShards(150)).toEqual({ archive: 1, labels: 0 })
    expect(await changedShards(235)).toEqual({ archive: 1, labels: 1 })
  })
})
