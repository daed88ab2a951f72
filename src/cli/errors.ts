// The three outcomes a script can rely on: 0 ok, 1 the content or the command line is wrong (the
// author fixes it), 2 the target is (wrangler, KV, the lock, the account: retry or fix the setup).

export const EXIT_OK = 0
export const EXIT_CONTENT = 1
export const EXIT_TARGET = 2

/** The command line asks for something impossible: exit 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The target could not be read or written, or refused the change: exit 2. */
export class TargetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TargetError'
  }
}
