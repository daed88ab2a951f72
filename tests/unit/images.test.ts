import { describe, expect, it } from 'vitest'
import { buildSite, type ContentFiles, type SourceFile } from '../../src/build/build'
import { ContentErrors } from '../../src/build/errors'
import { IMAGE_MAX_BYTES, type SourceImage } from '../../src/build/images'

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

async function problems(content: ContentFiles): Promise<string[]> {
  try {
    await buildSite(content, { now: NOW })
  } catch (error) {
    if (error instanceof ContentErrors) return error.errors.map((e) => e.message)
    throw error
  }
  throw new Error('expected the build to fail')
}

describe('images in the build', () => {
  it('stores each image as a blob of its media type and bytes, and the head names their index', async () => {
    const build = await buildSite(
      { site: SITE, posts: [post('a.md', '![A chart](/images/charts/a.PNG)\n')], pages: [], images: [image('charts/a.PNG'), image('logo.svg', 'PHN2Zy8+')] },
      { now: NOW },
    )
    const index = JSON.parse(build.blobs.get(build.head.images ?? '') ?? '{}') as Record<string, string>
    expect(Object.keys(index)).toEqual(['charts/a.PNG', 'logo.svg'])
    expect(JSON.parse(build.blobs.get(index['charts/a.PNG'] ?? '') ?? '')).toEqual({ type: 'image/png', data: 'iVBORw0KGgo=' })
    expect(JSON.parse(build.blobs.get(index['logo.svg'] ?? '') ?? '')).toEqual({ type: 'image/svg+xml', data: 'PHN2Zy8+' })
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
      "content/images/huge.png: is 10.0 MiB; an image may be at most 10 MiB (KV's limit on a value, in base64)",
      'content/images/notes.txt: is not an image Quire serves: name it .avif, .gif, .ico, .jpeg, .jpg, .png, .svg, .webp, or keep it outside content/images/',
      'content/images/with space.png: cannot be a URL as named: use letters, digits, ".", "_" and "-" in its name and its folders\' names',
    ])
  })
})
