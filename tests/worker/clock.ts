import { afterEach, vi } from 'vitest'
import { clearIsolateCache } from '../../src/content/kv'

/**
 * Runs the Worker as if it were `time` now: the tests and the Worker share one isolate, so faking
 * Date here moves the Worker's clock too. The isolate's memory of KV is dropped with it.
 */
export function at(time: string | number): void {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date(time))
  clearIsolateCache()
}

/** Restores the real clock, spies and a cold isolate after each test of the calling file. */
export function resetAfterEach(): void {
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
    clearIsolateCache()
  })
}
