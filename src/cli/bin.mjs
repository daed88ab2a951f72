#!/usr/bin/env node
// The `quire` command (`npm run quire`, package.json "bin"): the CLI from its bundle (see
// cli-bundle.mjs), or through tsx when it cannot be bundled. The bundle has source maps beside it:
// `node --enable-source-maps src/cli/bin.mjs` gives stack traces in the TypeScript sources.
import { loadCli } from './cli-bundle.mjs'

const { main } = await loadCli()
process.exitCode = await main(process.argv)
