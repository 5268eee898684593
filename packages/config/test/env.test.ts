import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { booleanFlag, loadEnv } from '../src/index.ts';

const shape = {
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  PORTAL_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PORTAL_TEST_CLOCK: booleanFlag,
};

describe('loadEnv: configuration validated at boot', () => {
  it('parses and applies defaults', () => {
    expect(loadEnv('app', shape, { DATABASE_URL: 'postgres://x@localhost/db', PORTAL_TEST_CLOCK: '1' })).toEqual({ DATABASE_URL: 'postgres://x@localhost/db', PORTAL_PORT: 4000, PORTAL_TEST_CLOCK: true });
  });

  it('fails fast naming a missing setting', () => {
    expect(() => loadEnv('billing', shape, {})).toThrow(/Invalid configuration for billing:[\s\S]*DATABASE_URL/);
  });

  it('fails naming a malformed setting', () => {
    expect(() => loadEnv('billing', shape, { DATABASE_URL: 'postgres://x@localhost/db', PORTAL_PORT: '99999' })).toThrow(/PORTAL_PORT/);
  });

  it('fails on an unknown PORTAL_ setting (a typo) and ignores other variables', () => {
    expect(() => loadEnv('gateway', shape, { DATABASE_URL: 'postgres://x@localhost/db', PORTAL_PROT: '4000' })).toThrow(/PORTAL_PROT: unknown setting for gateway/);
    expect(loadEnv('gateway', shape, { DATABASE_URL: 'postgres://x@localhost/db', HOME: '/root' }).PORTAL_PORT).toBe(4000);
  });
});
