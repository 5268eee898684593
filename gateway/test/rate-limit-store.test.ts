import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import { createPgRateLimitStore, type RateLimitStore } from '../src/rate-limit-store.ts';
import { TAKE_TABLE } from './rate-limit.table.ts';

let database: TestDatabase;
let pool: pg.Pool;
let store: RateLimitStore;

beforeAll(async () => {
  database = await createTestDatabase('portal_rate');
  pool = new pg.Pool({ connectionString: database.url, max: 8 });
  store = await createPgRateLimitStore(pool, { longestWindowSeconds: 60 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const T0 = Date.parse('2026-12-07T00:00:00Z');

describe('gateway.rate_take (the SQL) agrees with the pure maths', () => {
  it.each(TAKE_TABLE)('$name', async ({ buckets, cost, now, allowed, tokens }) => {
    const prefix = randomUUID();
    const requests = buckets.map((b, i) => ({ kind: b.kind, key: `${prefix}:${i}`, policy: b.policy }));
    for (const [i, b] of buckets.entries()) {
      if (b.state) await pool.query('insert into gateway.rate_bucket (key, tokens, updated_at) values ($1, $2, $3)', [requests[i]!.key, b.state.tokens, new Date(T0 + b.state.updatedAt)]);
    }
    const decision = await store.take(requests, cost, new Date(T0 + now));
    expect(decision.allowed).toBe(allowed);
    const { rows } = await pool.query<{ key: string; tokens: number }>('select key, tokens from gateway.rate_bucket where key like $1 order by key', [`${prefix}:%`]);
    rows.forEach((row, i) => expect(row.tokens).toBeCloseTo(tokens[i]!, 9));
  });
});

describe('under concurrency', () => {
  it('a bucket of 20 lets exactly 20 of 60 simultaneous requests through', async () => {
    const bucket = { kind: 'account', key: `account:${randomUUID()}`, policy: { quota: 20, windowSeconds: 3600 } };
    const decisions = await Promise.all(Array.from({ length: 60 }, () => store.take([bucket], 1)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
  });

  it('requests locking the same two buckets in opposite orders neither deadlock nor overspend', async () => {
    const a = { kind: 'account', key: `account:${randomUUID()}`, policy: { quota: 30, windowSeconds: 3600 } };
    const b = { kind: 'member', key: `member:${randomUUID()}`, policy: { quota: 1000, windowSeconds: 3600 } };
    const decisions = await Promise.all(Array.from({ length: 80 }, (_, i) => store.take(i % 2 ? [a, b] : [b, a], 1)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(30);
    const { rows } = await pool.query<{ tokens: number }>('select tokens from gateway.rate_bucket where key = $1', [b.key]);
    // All or none: the 50 refusals (account empty) did not charge the member.
    expect(rows[0]!.tokens).toBeCloseTo(970, 0);
  });

  it('creating the schema again (another replica starting) keeps the buckets', async () => {
    const bucket = { kind: 'account', key: `account:${randomUUID()}`, policy: { quota: 5, windowSeconds: 3600 } };
    await store.take([bucket], 4);
    await Promise.all([createPgRateLimitStore(pool, { longestWindowSeconds: 60 }), createPgRateLimitStore(pool, { longestWindowSeconds: 60 })]);
    expect((await store.take([bucket], 1)).allowed).toBe(true);
    expect((await store.take([bucket], 1)).allowed).toBe(false);
  });
});
