import { CommanderError } from 'commander'
import { ContentErrors } from '../build/errors'
import { EXIT_CONTENT, EXIT_OK, EXIT_TARGET, TargetError, UsageError } from './errors'
import { type Output, plural } from './output'

/** Prints what went wrong for the author and returns the exit code it deserves. */
export function reportFailure(error: unknown, out: Output, command?: string): number {
  // Commander has already printed its own message (or the help).
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_CONTENT
  if (error instanceof ContentErrors) {
    for (const problem of error.errors) out.error(problem.message)
    const files = new Set(error.errors.map((problem) => problem.file)).size
    const writes = command === 'publish' ? '; nothing was uploaded' : ''
    out.error(`${plural(error.errors.length, 'problem')} in ${plural(files, 'file')}${writes}`)
    return EXIT_CONTENT
  }
  if (error instanceof UsageError) {
    out.error(`error: ${error.message}`)
    return EXIT_CONTENT
  }
  if (error instanceof TargetError) {
    out.error(`error: ${error.message}`)
    return EXIT_TARGET
  }
  out.error(`quire failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  return EXIT_TARGET
}
