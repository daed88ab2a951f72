import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { readFile } from 'node:fs/promises'
import { XMLValidator } from 'fast-xml-parser'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORED_FORM } from '../../src/build/form'
import { WORKER_FORM_KEY } from '../../src/content/keys'
import { copyContent, editFile, kvPut, ROOT, tempDir } from '../cli/helpers'

// `npm start` from outside: its own port, store and copy of the content; real HTTP; a real save.

const run = promisify(execFile)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function eventually<T>(attempt: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await attempt().catch(() => undefined)
    if (result !== undefined) return result
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** What `npm start` runs, in its own process group, so that stopping it stops wrangler dev and workerd with it. */
function startQuire(args: string[], collect: (text: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['src/cli/start.mjs', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
  child.stdout?.on('data', (chunk: Buffer) => collect(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => collect(chunk.toString()))
  return child
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null

/** True once `url` answers 200, false as soon as the server has exited; throws after 150 s. */
async function servesOrExits(child: ChildProcess, url: string): Promise<boolean> {
  const deadline = Date.now() + 150_000
  while (!hasExited(child)) {
    // Whatever else holds the port may take a connection and never answer it.
    if (await fetch(url, { signal: AbortSignal.timeout(5_000) }).then((res) => res.status === 200, () => false)) return true
    if (Date.now() > deadline) throw new Error(`timed out after 150000 ms waiting for ${url} to answer`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return false
}

const groupIsAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

describe('npm start', () => {
  let server: ChildProcess
  let base: string
  let content: string
  let output = ''

  beforeAll(async () => {
    const dir = await tempDir('quire-e2e-')
    content = await copyContent(dir)
    // A record of an older Worker, as a `deploy --local` of an older checkout leaves: wrangler dev
    // runs this checkout, so npm start publishes all the same.
    await kvPut(join(dir, 'store'), [{ key: WORKER_FORM_KEY, value: String(STORED_FORM - 1) }])
    // The port is free when chosen, but npm start publishes for some seconds before wrangler dev
    // binds it, and another test's process may take it meanwhile: npm start then says so and stops,
    // and the test starts it again on another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      base = `http://127.0.0.1:${port}`
      output = ''
      server = startQuire(['--port', String(port), '--persist-to', join(dir, 'store'), '--content', content], (text) => (output += text))
      if (await servesOrExits(server, `${base}/`)) return
      if (attempt < 3 && output.includes(`port ${port} on 127.0.0.1 is in use`)) continue
      throw new Error(`npm start exited (${server.exitCode ?? server.signalCode}) before ${base}/ answered\n${output}`)
    }
  })

  afterAll(async () => {
    const pgid = server.pid
    if (!pgid) return
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)))
    process.kill(-pgid, 'SIGTERM')
    expect(server.exitCode ?? (await exited)).toBe(0)
    await eventually(async () => (groupIsAlive(pgid) ? undefined : true), 15_000, 'every process of the group to end').catch((error) => {
      process.kill(-pgid, 'SIGKILL')
      throw error
    })
  })

  const page = async (path: string) => {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(30_000) })
    return { status: response.status, type: response.headers.get('content-type') ?? '', html: await response.text() }
  }

  it.each([
    ['the home page', '/', 'Backend Notes'],
    ['a post', '/2026/03/how-django-works-internally.html', 'How Django Works Internally'],
    ['a month archive', '/2026/03/', 'Showing posts from March, 2026'],
    ['a label page', '/search/label/Django', 'Showing posts with label Django'],
    ['a static page', '/p/about.html', 'Ines Calder, a backend engineer'],
  ])('serves %s', async (_, path, text) => {
    const { status, type, html } = await page(path)
    expect(status).toBe(200)
    expect(type).toContain('text/html')
    expect(html.replace(/<[^>]*>/g, '')).toContain(text)
  })

  it('answers an unknown URL with the 404 page', async () => {
    const { status, type, html } = await page('/2026/03/no-such-post.html')
    expect(status).toBe(404)
    expect(type).toContain('text/html')
    expect(html).toContain('Backend Notes')
  })

  it('serves an image of content/images/ as the file holds it', async () => {
    const response = await fetch(`${base}/images/2025/gunicorn-behind-nginx.svg`, { signal: AbortSignal.timeout(30_000) })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/svg+xml')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(await readFile(join(ROOT, 'content/images/2025/gunicorn-behind-nginx.svg')))
  })

  // Feeds as a subscriber's reader sees them: Python's feedparser, the parser many readers use.
  it.each([
    ['/feeds/posts/default', 'atom10'],
    ['/feeds/posts/default?alt=rss', 'rss20'],
    ['/feeds/posts/summary', 'atom10'],
    ['/feeds/posts/default/-/Django', 'atom10'],
    ['/atom.xml', 'atom10'],
  ])('serves %s as a feed that feedparser reads without complaint', async (path, version) => {
    const script = [
      'import json, sys, feedparser',
      'feed = feedparser.parse(sys.argv[1])',
      'print(json.dumps({"bozo": int(feed.bozo), "version": feed.version, "exception": str(feed.get("bozo_exception", "")),',
      '  "titles": [e.title for e in feed.entries], "links": [e.link for e in feed.entries],',
      '  "published": [e.get("published_parsed") is not None for e in feed.entries]}))',
    ].join('\n')
    const { stdout } = await run('/usr/bin/python3', ['-c', script, `${base}${path}`])
    const parsed = JSON.parse(stdout) as { bozo: number; version: string; exception: string; titles: string[]; links: string[]; published: boolean[] }
    expect(parsed.exception).toBe('')
    expect(parsed.bozo).toBe(0)
    expect(parsed.version).toBe(version)
    expect(parsed.titles.length).toBeGreaterThanOrEqual(path.includes('Django') ? 10 : 13)
    expect(parsed.titles).toContain('Understanding Django Models and ORM: A Complete Production Guide')
    expect(parsed.links.every((link) => link.startsWith('https://backendnotes.example.com/'))).toBe(true)
    expect(parsed.published.every(Boolean)).toBe(true)
  })

  it('serves a sitemap that parses as XML and JSON-LD that parses as JSON', async () => {
    const sitemap = await page('/sitemap.xml')
    expect(sitemap.type).toBe('application/xml; charset=utf-8')
    expect(XMLValidator.validate(sitemap.html)).toBe(true)
    const post = await page('/2026/03/django-apps-vs-projects-explained.html')
    const jsonLd = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(post.html)?.[1] ?? ''
    expect(JSON.parse(jsonLd)['@type']).toBe('BlogPosting')
  })

  it('serves an edited post within seconds of the save', async () => {
    const path = '/2026/03/how-django-works-internally.html'
    const saved = Date.now()
    await editFile(join(content, 'posts/2026/03/how-django-works-internally.md'), (text) =>
      text.replace('## Introduction', '## Introduction\n\nEdited while the server ran.'),
    )
    await eventually(async () => ((await page(path)).html.includes('Edited while the server ran.') ? true : undefined), 60_000, 'the edit to be served')
    const seconds = (Date.now() - saved) / 1000
    console.info(`an edit was served ${seconds.toFixed(1)} s after the save`)
    expect(seconds).toBeLessThan(60)
  })
})

describe('npm start on a port in use', () => {
  it('says which port and how to choose another, and exits 2, leaving the port to what holds it', async () => {
    const dir = await tempDir('quire-e2e-busy-')
    const content = await copyContent(dir)
    const holder = createServer((socket) => socket.end())
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)))
    try {
      let text = ''
      const child = startQuire(['--port', String(port), '--persist-to', join(dir, 'store'), '--content', content], (chunk) => (text += chunk))
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
      expect(code, text).toBe(2)
      expect(text).toContain(`port ${port} on 127.0.0.1 is in use: stop what serves there, or start on another with --port`)
      expect(text).not.toContain('wrangler dev stopped')
      expect(holder.listening).toBe(true)
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })
})
