// The isolate's memory (L1): least recently used entries go first once a byte budget is spent.

const every = new Set<ByteLru<unknown>>()

export class ByteLru<V> {
  readonly #entries = new Map<string, { value: V; bytes: number }>()
  #bytes = 0

  constructor(readonly budget: number) {
    every.add(this as ByteLru<unknown>)
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.value
  }

  /** Keeps `value` unless it alone would take more than a quarter of the budget. */
  set(key: string, value: V, bytes: number): void {
    if (bytes > this.budget / 4) return
    const old = this.#entries.get(key)
    if (old) this.#bytes -= old.bytes
    this.#entries.delete(key)
    this.#entries.set(key, { value, bytes })
    this.#bytes += bytes
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.budget) break
      this.#entries.delete(oldest)
      this.#bytes -= entry.bytes
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#bytes -= entry.bytes
  }

  clear(): void {
    this.#entries.clear()
    this.#bytes = 0
  }
}

/** Forgets everything every cache of this isolate holds. */
export function clearAllLru(): void {
  for (const lru of every) lru.clear()
}
