import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        // Pure functions and the Node side (build, CLI), in Node.
        test: { name: 'node', include: ['tests/unit/**/*.test.ts', 'tests/cli/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        // The Worker, inside workerd, against the real local KV and Cache API.
        plugins: [cloudflareTest({ main: './src/worker.tsx', wrangler: { configPath: './wrangler.jsonc' } })],
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.{ts,tsx}'],
          globalSetup: ['tests/worker/provide-content.ts'],
          testTimeout: 60_000,
        },
      },
      {
        // The whole blog from outside: `npm start` on a free port.
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 },
      },
    ],
  },
})
