// A build thread started from the sources (the tests, or a CLI that could not be bundled): it
// loads the TypeScript through tsx, as the thread that started it does.
import { register } from 'tsx/esm/api'

register()
await import('./build-worker.ts')
