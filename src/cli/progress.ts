import cliProgress from 'cli-progress'
import { formatBytes, type Output } from './output'

/** Upload progress: a bar that redraws in place on a terminal, one line per step anywhere else. */
export interface UploadProgress {
  chunkStarted(index: number, pairs: number, bytes: number): void
  /** A line wrangler printed while uploading: large remote writes report their own percentage. */
  wranglerSaid(line: string): void
  chunkDone(): void
  stop(): void
}

const WRANGLER_PROGRESS = /Uploaded \d+% \(([\d,]+) out of ([\d,]+)\)/

export function uploadProgress(out: Output, chunks: number, totalPairs: number, totalBytes: number): UploadProgress {
  return out.isTTY ? new BarProgress(totalPairs, totalBytes) : new LineProgress(out, chunks)
}

class LineProgress implements UploadProgress {
  private done = 0

  constructor(
    private readonly out: Output,
    private readonly chunks: number,
  ) {}

  chunkStarted(index: number, pairs: number, bytes: number): void {
    this.out.info(`  uploading part ${index + 1} of ${this.chunks}: ${pairs} keys, ${formatBytes(bytes)}`)
  }

  wranglerSaid(line: string): void {
    const match = WRANGLER_PROGRESS.exec(line)
    if (match) this.out.info(`    ${match[0]}`)
  }

  chunkDone(): void {
    this.done++
    this.out.info(`  uploaded part ${this.done} of ${this.chunks}`)
  }

  stop(): void {}
}

class BarProgress implements UploadProgress {
  private readonly bar: cliProgress.SingleBar
  private finished = 0
  private current = 0

  constructor(totalPairs: number, totalBytes: number) {
    this.bar = new cliProgress.SingleBar(
      {
        format: `  uploading [{bar}] {percentage}% | {value}/{total} keys | ${formatBytes(totalBytes)} | {duration_formatted}`,
        stream: process.stdout,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    )
    this.bar.start(totalPairs, 0)
  }

  chunkStarted(_index: number, pairs: number): void {
    this.current = pairs
  }

  wranglerSaid(line: string): void {
    const match = WRANGLER_PROGRESS.exec(line)
    if (match?.[1]) this.bar.update(this.finished + Number(match[1].replaceAll(',', '')))
  }

  chunkDone(): void {
    this.finished += this.current
    this.bar.update(this.finished)
  }

  stop(): void {
    this.bar.stop()
  }
}
