#!/usr/bin/env node
// `npm start`: the development loop (start.ts) from the CLI's bundle, as `quire` runs (bin.mjs), or
// through tsx when it cannot be bundled.
import { loadCli } from './cli-bundle.mjs'

const { runStart } = await loadCli(undefined, 'start')
process.exitCode = await runStart(process.argv)
