import type { RenderedMarkdown } from '../markdown/render'
import { renderKey, rendersKeptKey } from '../content/keys'
import { RENDERER_VERSION } from '../markdown/version'
import { type Output, plural } from './output'
import { type Document, renderEntries } from './renders'
import { chunkForBulkPut, type Kv, type KvEntry } from './wrangler'

// Keeping, in a target, the renders it lacks under this renderer: a publish does it when no publish
// or deploy has kept them all (the first publish, or the first after an upgrade that changed the
// renderer), and a deploy before new code ships.

/** Renders kept by a step of a publish or deploy: how many (or would be, on a dry run), what was written, how many are still missing. */
export interface KeptRenders {
  count: number
  written: KvEntry[]
  missing: number
}

export const NOTHING_KEPT: KeptRenders = { count: 0, written: [], missing: 0 }

export interface KeepOptions {
  out: Output
  /** The target, as the author reads it. */
  where: string
  uploadedAt: number
  dryRun?: boolean
  known?: Map<string, RenderedMarkdown>
  /** What readers get meanwhile, and how to keep the rest, should a write fail: the end of the warning. */
  ifStopped: string
}

/**
 * Keeps the render of every one of `documents` the target lacks under this renderer, then writes
 * the mark that says every render is kept (`renders-kept:`). What the target holds is listed first,
 * so a run stopped part way (by KV's daily write limit, say) resumes where it stopped. A failure
 * here is a warning: the Worker renders whatever is missing.
 */
export async function keepMissingRenders(kv: Kv, documents: Document[], blobs: { blobs: Map<string, string> }, options: KeepOptions): Promise<KeptRenders> {
  const { out, where } = options
  const present = documents.length === 0 ? new Set<string>() : new Set((await kv.listHexKeys(renderKey(RENDERER_VERSION, ''))).map((key) => key.name))
  const missing = documents.filter(([, hash]) => !present.has(renderKey(RENDERER_VERSION, hash)))
  if (options.dryRun) return { count: missing.length, written: [], missing: 0 }
  const renders = renderEntries(blobs, missing, options.uploadedAt, options.known)
  const mark = { key: rendersKeptKey(RENDERER_VERSION), value: String(options.uploadedAt) }
  const written: KvEntry[] = []
  try {
    if (renders.length > 0) {
      out.info(`keeping the renders of ${plural(renders.length, 'post and page', 'posts and pages')} this renderer lacks in ${where}`)
      for (const chunk of chunkForBulkPut(renders)) {
        await kv.bulkPut(chunk)
        written.push(...chunk)
      }
    }
    // Last: while it is missing, the next publish or deploy looks for the renders still to keep.
    await kv.bulkPut([mark])
    written.push(mark)
    return { count: renders.length, written, missing: 0 }
  } catch (error) {
    const left = renders.length - written.length
    out.error(`warning: ${plural(left, 'render')} of ${renders.length} could not be kept (${(error as Error).message.split('\n')[0]}); ${options.ifStopped}`)
    return { count: written.length, written, missing: left }
  }
}
