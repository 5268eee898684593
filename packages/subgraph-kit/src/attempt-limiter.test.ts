import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import { attemptCounterDdl, AttemptLimiter, attemptSubjectKey, type Attempt } from './attempt-limiter.ts';
import { PAIR_BLOCK_AT } from './attempt-limit.rule.ts';

/** The limiter's store on a real PostgreSQL: concurrency, forgetting and pruning. */
let database: TestDatabase;
let pool: pg.Pool;
const limiter = new AttemptLimiter('limiter_test');

beforeAll(async () => {
  database = await createTestDatabase('subgraph_kit_limiter');
  pool = new pg.Pool({ connectionString: database.url, max: 12 });
  await pool.query('create schema limiter_test');
  await pool.query(attemptCounterDdl('limiter_test'));
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** One attempt as a service runs it: check and settle in one transaction. */
async function attempt(a: Attempt, secretOk: boolean) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const check = await limiter.check(client, a);
    const failed = check.verdict.blocked || !secretOk;
    await limiter.settle(client, check, failed ? { failed: true } : { failed: false });
    await client.query('commit');
    return { ...check.verdict, ok: !failed };
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
const pairFailures = async (purpose: string, ip: string, subject: string) =>
  (await pool.query<{ failures: number }>("select failures from limiter_test.attempt_counter where purpose = $1 and kind = 'pair' and key = $2", [purpose, `${ip}|${attemptSubjectKey(purpose, subject)}`])).rows[0]?.failures;

describe('AttemptLimiter on PostgreSQL', () => {
  it('counts concurrent attempts one by one (no lost updates): 25 at once are 25 failures, and the block follows', async () => {
    const a = { purpose: 'login', clientIp: '203.0.113.1', subject: 'concurrent-user' };
    const verdicts = await Promise.all(Array.from({ length: 25 }, () => attempt(a, false)));
    expect(await pairFailures('login', a.clientIp, a.subject)).toBe(25);
    // Those that queued behind the PAIR_BLOCK_AT-th failure were judged blocked.
    expect(verdicts.filter((v) => v.blocked)).toHaveLength(25 - PAIR_BLOCK_AT);
    expect(await attempt(a, true)).toMatchObject({ blocked: true, ok: false });
    // Another address is not blocked for the same subject (which only slows).
    expect(await attempt({ ...a, clientIp: '203.0.113.2' }, true)).toMatchObject({ blocked: false, ok: true });
  });

  it('a success starts the pair again but keeps the address and subject counts', async () => {
    const a = { purpose: 'login', clientIp: '203.0.113.3', subject: 'forgetful-user' };
    for (let i = 0; i < 3; i++) await attempt(a, false);
    expect(await attempt(a, false)).toMatchObject({ delayMs: 250 });
    expect(await attempt(a, true)).toMatchObject({ ok: true });
    expect(await pairFailures('login', a.clientIp, a.subject)).toBe(0);
    const { rows } = await pool.query<{ kind: string; failures: number }>("select kind, failures from limiter_test.attempt_counter where key in ($1, $2) order by kind", [a.clientIp, attemptSubjectKey('login', a.subject)]);
    expect(rows).toEqual([{ kind: 'address', failures: 4 }, { kind: 'subject', failures: 4 }]);
  });

  it('keeps purposes apart, and forgetSubject ends every block of one subject and nothing else', async () => {
    const victim = { purpose: 'login', clientIp: '203.0.113.4', subject: 'victim' };
    const other = { purpose: 'login', clientIp: '203.0.113.4', subject: 'bystander' };
    for (let i = 0; i < PAIR_BLOCK_AT; i++) await Promise.all([attempt(victim, false), attempt(other, false)]);
    expect(await attempt({ ...victim, purpose: 'password-change' }, true)).toMatchObject({ ok: true });
    await limiter.forgetSubject(pool, 'login', 'victim');
    // The victim gets in; the address keeps its own count (20 failures there: the address's first delay step).
    expect(await attempt(victim, true)).toMatchObject({ ok: true, blocked: false, delayMs: 250 });
    expect(await attempt(other, true)).toMatchObject({ blocked: true, ok: false });
  });

  it('prunes only counters whose window ended long ago', async () => {
    const a = { purpose: 'prune-test', clientIp: '203.0.113.5', subject: 'old' };
    const b = { purpose: 'prune-test', clientIp: '203.0.113.6', subject: 'new' };
    await attempt(a, false);
    await attempt(b, false);
    await pool.query("update limiter_test.attempt_counter set window_started_at = now() - interval '3 hours' where purpose = 'prune-test' and key like '203.0.113.5%'");
    expect(await limiter.prune(pool, 2 * 60 * 60 * 1000)).toBe(2); // the old address and pair rows
    const { rows } = await pool.query<{ n: number }>("select count(*)::int as n from limiter_test.attempt_counter where purpose = 'prune-test'");
    expect(rows[0]!.n).toBe(4); // both subject rows, and b's address and pair rows
  });
});
