import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:resilience`: the slow failure cases of issue 10 (graceful stop under load, circuit
 * breaker open/close, a database restart on a private PostgreSQL). Same settings as the main run,
 * only these files.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/resilience/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
  },
});
