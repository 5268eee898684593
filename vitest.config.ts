import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One run over every workspace. Integration tests create their own databases on the
// PostgreSQL named by TEST_DATABASE_ADMIN_URL (default: the local server; when none answers, the
// global setup starts an embedded one for the run), so files may run in parallel.
export default defineConfig({
  // graphql 16 ships ESM (index.mjs, via "module") and CJS (index.js, via "main"). Apollo's packages are CJS
  // and load index.js; plain Node gives our ESM code the same file, and tests must too, or graphql sees two realms.
  resolve: {
    alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) }],
  },
  test: {
    include: ['{packages,tooling,gateway,subgraphs,client,bench}/**/*.test.ts', 'test/**/*.test.ts'],
    // Slow failure cases (child processes, a private PostgreSQL restarted, breaker pauses; about a
    // minute together) run with `npm run test:resilience` (vitest.resilience.config.ts), not here.
    exclude: ['**/node_modules/**', '**/dist/**', 'test/resilience/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['tooling/vitest/postgres.global-setup.ts'],
    // A passing run is read by people: processes log only when asked (PORTAL_LOG_LEVEL=info to see them).
    env: { PORTAL_LOG_LEVEL: process.env.PORTAL_LOG_LEVEL ?? 'silent' },
    pool: 'forks',
    maxWorkers: 2,
  },
});
