import { defineConfig } from 'vitest/config';

// One run over every workspace. Integration tests create their own databases on the
// PostgreSQL named by TEST_DATABASE_ADMIN_URL (default: the local server), so files may run in parallel.
export default defineConfig({
  test: {
    include: ['{packages,gateway,subgraphs,client}/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
