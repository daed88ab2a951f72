/** The directory of a bundle of the current sources, made now if need be; null if it cannot be made. */
export function currentBundle(cacheDir?: string): Promise<string | null>
/** One of the CLI's entry modules: from the bundle when there is one, otherwise the sources through tsx. */
export function loadCli(cacheDir?: string, entry?: 'main'): Promise<typeof import('./main')>
export function loadCli(cacheDir: string | undefined, entry: 'start'): Promise<typeof import('./start')>
