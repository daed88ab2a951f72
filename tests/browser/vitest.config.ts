import { defineConfig } from 'vitest/config'

// The theme in a real Chromium (Debian's, never a downloaded one) and the W3C Nu checker, against
// `wrangler dev` serving the sample content. Run with `npm run test:browser`.
export default defineConfig({
  test: {
    name: 'browser',
    root: '.',
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One Chromium at a time: the machine has two cores, and wrangler dev needs one.
    fileParallelism: false,
  },
})
