import { defineConfig } from 'vitest/config';

// One run over the whole workspace. The `source` condition makes workspace packages resolve to their
// TypeScript sources, so unit tests need no build; process-level tests spawn the built server.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'workflows/**/*.test.ts',
      'test/**/*.test.ts',
      // Browser tests (Chromium against the built server); each sets its own long timeout.
      'e2e/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
