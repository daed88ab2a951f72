import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { RENDERER_VERSION } from '../markdown/version'

// How long each post's Markdown took to render when `check` last timed it, kept between runs. A
// blog's posts rarely change, but `check` runs before every publish (and on every save under
// `npm start`): a Markdown body it has timed under this renderer is not rendered again.

/** Render times by Markdown, for one renderer version. */
export class RenderTimes {
  private constructor(
    private readonly file: string | null,
    private readonly known: Map<string, number>,
    private readonly seen = new Map<string, number>(),
  ) {}

  /**
   * The times kept in `file`; with no file (null), or one from another renderer or unreadable,
   * none. The default file sits in the project's node_modules/.cache, when there is one.
   */
  static async load(file: string | null): Promise<RenderTimes> {
    if (file === null) return new RenderTimes(null, new Map())
    try {
      const kept = JSON.parse(await readFile(file, 'utf8')) as { renderer?: string; times?: Record<string, number> }
      if (kept.renderer === RENDERER_VERSION && kept.times) return new RenderTimes(file, new Map(Object.entries(kept.times)))
    } catch {
      // No file yet, or not ours to read: time everything.
    }
    return new RenderTimes(file, new Map())
  }

  /** Where a project whose content is `contentDir` keeps them: null when it has no node_modules. */
  static defaultFile(contentDir: string): string | null {
    const modules = join(dirname(contentDir), 'node_modules')
    return existsSync(modules) ? join(modules, '.cache', 'quire', 'render-times.json') : null
  }

  /** The time `markdown` took when it was last timed, if it was. */
  get(markdown: string): number | undefined {
    const key = keyOf(markdown)
    const ms = this.known.get(key)
    if (ms !== undefined) this.seen.set(key, ms)
    return ms
  }

  set(markdown: string, ms: number): void {
    this.seen.set(keyOf(markdown), ms)
  }

  /** Keeps the times of this run's documents, and only those, for the next run. */
  async save(): Promise<void> {
    if (this.file === null) return
    const temporary = `${this.file}.${process.pid}`
    try {
      await mkdir(dirname(this.file), { recursive: true })
      await writeFile(temporary, JSON.stringify({ renderer: RENDERER_VERSION, times: Object.fromEntries(this.seen) }))
      await rename(temporary, this.file)
    } catch {
      // A cache that cannot be written only costs the next run its time.
    }
  }
}

const keyOf = (markdown: string): string => createHash('sha256').update(markdown).digest('base64url')
