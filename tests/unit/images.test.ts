import { describe, expect, it } from 'vitest'
import { blobEntries, buildSite, type ContentFiles, type SourceFile } from '../../src/build/build'
import { blobKey } from '../../src/content/keys'
import { IMAGE_MAX_BYTES, type SourceImage } from '../../src/build/images'
import { buildProblems } from './build-problems'

const SITE: SourceFile = {
  path: 'content/site.yaml',
  text: 'title: Picture Blog\nauthor: Ada\nbaseUrl: https://blog.example.com/\ntimeZone: Europe/Paris\n',
}
const NOW = Date.parse('2026-06-01T00:00:00Z')

const post = (name: string, body: string): SourceFile => ({
  path: `content/posts/${name}`,
  text: `---\ntitle: ${name}\ndate: 2026-03-03T08:00:00Z\n---\n${body}`,
})
const image = (name: string, data = 'iVBORw0KGgo='): SourceImage => ({ path: `content/images/${name}`, name, data })

const problems = (content: ContentFiles): Promise<string[]> => buildProblems(content, NOW)

describe('images in the build', () => {
  it('stores each image as a blob of its bytes, uploaded decoded, and the head names their index with their media types', async () => {
    const build = await buildSite(
      { site: SITE, posts: [post('a.md', '![A chart](/images/charts/a.PNG)\n')], pages: [], images: [image('charts/a.PNG'), image('logo.svg', 'PHN2Zy8+')] },
      { now: NOW },
    )
    const index = JSON.parse(build.blobs.get(build.head.images ?? '') ?? '{}') as Record<string, { hash: string; type: string }>
    expect(Object.keys(index)).toEqual(['charts/a.PNG', 'logo.svg'])
    expect(index['charts/a.PNG']?.type).toBe('image/png')
    expect(index['logo.svg']?.type).toBe('image/svg+xml')
    const png = index['charts/a.PNG']?.hash ?? ''
    expect(build.blobs.get(png)).toBe('iVBORw0KGgo=')
    expect([...build.binary]).toEqual([png, index['logo.svg']?.hash])
    const entries = blobEntries(build)
    expect(entries.find((entry) => entry.key === blobKey(png))).toEqual({ key: blobKey(png), value: 'iVBORw0KGgo=', base64: true })
    expect(entries.filter((entry) => entry.base64)).toHaveLength(2)
  })

  it('makes the same bytes whatever order the images were read in, and a new version when one changes', async () => {
    const content = (images: SourceImage[]): ContentFiles => ({ site: SITE, posts: [post('a.md', 'Words.\n')], pages: [], images })
    const one = await buildSite(content([image('a.png'), image('b.png')]), { now: NOW })
    const two = await buildSite(content([image('b.png'), image('a.png')]), { now: NOW })
    expect(two.headJson).toBe(one.headJson)
    const changed = await buildSite(content([image('a.png'), image('b.png', 'AAAA')]), { now: NOW })
    expect(changed.head.version).not.toBe(one.head.version)
  })

  it('names every file of content/images/ it cannot serve, all at once', async () => {
    const found = await problems({
      site: SITE,
      posts: [post('a.md', 'Words.\n')],
      pages: [],
      images: [
        image('ok.webp'),
        image('notes.txt'),
        image('with space.png'),
        image('huge.png', 'A'.repeat(Math.ceil((IMAGE_MAX_BYTES * 4) / 3) + 8)),
      ],
    })
    expect(found).toEqual([
      'content/images/huge.png: is 10.0 MiB; an image may be at most 10 MiB',
      'content/images/notes.txt: is not an image Quire serves: name it .avif, .gif, .ico, .jpeg, .jpg, .png, .svg, .webp, or keep it outside content/images/',
      'content/images/with space.png: cannot be a URL as named: use letters, digits, ".", "_" and "-" in its name and its folders\' names',
    ])
  })
})
