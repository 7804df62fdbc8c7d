import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    pool: 'forks',
    // One embedded database per worker instead of one per file: PGlite's start costs seconds.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 60_000,
    // A PGlite start and its migrations can take a minute on a loaded two-core machine.
    hookTimeout: 180_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
