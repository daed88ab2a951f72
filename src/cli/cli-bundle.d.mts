/** The directory of a bundle of the current sources, made now if need be; null if it cannot be made. */
export function currentBundle(cacheDir?: string): Promise<string | null>
/** The CLI's main module: from the bundle when there is one, otherwise the sources through tsx. */
export function loadCli(cacheDir?: string): Promise<typeof import('./main')>
