import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites start real servers and SQLite files; two cores, so keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
  },
});
