import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TargetError } from './errors'
import { formatElapsed } from './output'

// KV has no compare-and-swap, so two writers of the same local store take turns through a lock file
// beside it. A lock left by a process that no longer runs is taken over.

export interface Lock {
  readonly path: string
  release(): Promise<void>
}

interface Holder {
  pid: number
  command: string
  startedAt: number
}

export const LOCK_FILE = 'quire.lock'

export async function acquireLock(storeDir: string, command: string): Promise<Lock> {
  await mkdir(storeDir, { recursive: true })
  const path = join(storeDir, LOCK_FILE)
  const mine: Holder = { pid: process.pid, command, startedAt: Date.now() }
  const text = JSON.stringify(mine)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx' })
      return {
        path,
        async release() {
          const current = await readFile(path, 'utf8').catch(() => null)
          if (current === text) await unlink(path).catch(() => undefined)
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = await readHolder(path)
    if (!holder && (await isFresh(path))) {
      // Another process created the file and has not written its name yet.
      throw new TargetError(`another quire is starting to write to ${storeDir}; wait for it to finish and run this again`)
    }
    if (holder && isRunning(holder.pid)) {
      throw new TargetError(
        `another quire ${holder.command} (pid ${holder.pid}, started ${formatElapsed(Date.now() - holder.startedAt)} ago) is writing to ${storeDir}; ` +
          `wait for it to finish and run this again. If no quire is running, delete ${path}.`,
      )
    }
    await unlink(path).catch(() => undefined)
  }
  throw new TargetError(`could not take the lock ${path}: another process keeps taking it`)
}

async function readHolder(path: string): Promise<Holder | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Holder
  } catch {
    return null
  }
}

async function isFresh(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null)
  return info !== null && Date.now() - info.mtimeMs < 10_000
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
