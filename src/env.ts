import type { Head } from './content/schema'

export interface AppEnv {
  Bindings: Env
  Variables: {
    /** The live head; null before the first publish. */
    head: Head | null
    /** The request's clock: scheduled posts are compared with it. */
    now: number
    /** Cache-Tag values naming what the page shows, beyond the version. */
    tags?: string[]
  }
}
