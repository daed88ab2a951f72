#!/usr/bin/env node
// The `quire` command (package.json "bin"): the TypeScript CLI through tsx, as `npm run quire` runs it.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv)
