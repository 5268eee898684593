import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@portal/auth';
import { createSettableClock } from '@portal/platform';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import { initOrm } from './orm.ts';
import { memberFilter, MEMBER_FILTER } from './member-filter.ts';
import { canonicalInput, idempotencyKeyDdl, IDEMPOTENCY_TTL_MS, purgeExpiredIdempotencyKeys, withIdempotency, type IdempotencyContext } from './idempotency.ts';
import type { UserError } from './user-errors.ts';

// The helper against a real PostgreSQL: the effect is a row of `thing` and a counter, both written
// through the context's EntityManager, so "ran once" is read back from the database.
const SCHEMA = 'idem';
const Thing = defineEntity({
  name: 'Thing',
  tableName: 'thing',
  properties: (p) => ({ id: p.uuid().primary(), memberId: p.uuid(), label: p.string(), createdAt: p.datetime() }),
  filters: memberFilter,
});
type IThing = InferEntity<typeof Thing>;

let database: TestDatabase;
let pool: pg.Pool;
let orm: MikroORM;
const clock = createSettableClock(new Date('2026-11-10T01:00:00Z'));

beforeAll(async () => {
  database = await createTestDatabase('subgraph_kit_idem');
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(`create schema ${SCHEMA}`);
  await pool.query(idempotencyKeyDdl(SCHEMA));
  await pool.query(`create table ${SCHEMA}.thing (id uuid primary key, member_id uuid not null, label text not null, created_at timestamptz not null)`);
  await pool.query(`create table ${SCHEMA}.effect (label text primary key, runs integer not null)`);
  orm = await initOrm({ schema: SCHEMA, databaseUrl: database.url, entities: [Thing], migrations: [], poolSize: 6 });
});

afterAll(async () => {
  await orm?.close(true);
  await pool?.end();
  await database?.drop();
});

function member(memberId: string = randomUUID()): Identity {
  return { kind: 'member', accountId: randomUUID(), memberId, sessionId: null, scopes: new Set(), clientIp: '127.0.0.1', requestId: randomUUID() };
}

function ctxOf(identity: Identity): IdempotencyContext {
  const em = orm.em.fork() as EntityManager;
  em.setFilterParams(MEMBER_FILTER, { memberId: identity.memberId });
  return { identity, em, clock, services: { subgraph: SCHEMA } };
}

interface Payload {
  thing: IThing | null;
  at: Date | null;
  secret: string | null;
  userErrors: UserError[];
}

/** The effect under test: one row, one counter increment, and a value that must come back unchanged (a generated password). */
async function effect(ctx: IdempotencyContext, label: string, options: { sleepMs?: number; fail?: boolean } = {}): Promise<Payload> {
  const thing = ctx.em.create(Thing, { id: randomUUID(), memberId: ctx.identity.memberId!, label, createdAt: clock.now() });
  await ctx.em.flush();
  await ctx.em.execute(`insert into ${SCHEMA}.effect (label, runs) values (?, 1) on conflict (label) do update set runs = effect.runs + 1`, [label]);
  if (options.sleepMs) await ctx.em.execute(`select pg_sleep(?)`, [options.sleepMs / 1000]);
  if (options.fail) throw new Error('the effect failed');
  return { thing, at: clock.now(), secret: `pw-${randomUUID()}`, userErrors: [] };
}

const refused = (error: UserError): Payload => ({ thing: null, at: null, secret: null, userErrors: [error] });

function call(identity: Identity, key: string | null, input: Record<string, unknown>, options: { sleepMs?: number; fail?: boolean; lockTimeout?: string } = {}) {
  const ctx = ctxOf(identity);
  return withIdempotency(ctx, { operation: 'makeThing', key, input: { input: { ...input, idempotencyKey: key } }, refused, lockTimeout: options.lockTimeout }, (tx) => effect(tx, String(input.label), options));
}

async function runs(label: string): Promise<number> {
  const { rows } = await pool.query<{ runs: number }>(`select runs from ${SCHEMA}.effect where label = $1`, [label]);
  return rows[0]?.runs ?? 0;
}
async function things(label: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from ${SCHEMA}.thing where label = $1`, [label]);
  return rows[0]!.n;
}
const label = () => `t-${randomUUID()}`;
const key = () => `key_${randomUUID()}`;

describe('withIdempotency', () => {
  it('runs every call when no key is given (the control)', async () => {
    const who = member();
    const l = label();
    await call(who, null, { label: l });
    await call(who, null, { label: l });
    expect(await runs(l)).toBe(2);
    expect(await things(l)).toBe(2);
  });

  it('runs once for a replayed key and returns the first answer: same entity, same date, same generated value', async () => {
    const who = member();
    const l = label();
    const k = key();
    const first = await call(who, k, { label: l });
    clock.set(new Date(clock.now().getTime() + 60_000));
    const replay = await call(who, k, { label: l });
    expect(await runs(l)).toBe(1);
    expect(await things(l)).toBe(1);
    expect(replay.userErrors).toEqual([]);
    expect(replay.secret).toBe(first.secret);
    expect(replay.at).toBeInstanceOf(Date);
    expect(replay.at!.toISOString()).toBe(first.at!.toISOString());
    // The entity comes back loaded from the database, so its other fields still resolve.
    expect(replay.thing).not.toBeNull();
    expect(replay.thing!.id).toBe(first.thing!.id);
    expect(replay.thing!.label).toBe(l);
  });

  it('refuses the same key with another input, and runs nothing', async () => {
    const who = member();
    const l = label();
    const k = key();
    await call(who, k, { label: l });
    const other = await call(who, k, { label: `${l}-other` });
    expect(other.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(other.userErrors[0]!.field).toBe('input.idempotencyKey');
    expect(other.userErrors[0]!.messageJa).toMatch(/冪等キー/);
    expect(await runs(`${l}-other`)).toBe(0);
  });

  it('compares inputs canonically: key order and the key field itself do not matter', () => {
    expect(canonicalInput({ input: { b: 1, a: [{ y: 2, x: 1 }], idempotencyKey: 'one-key-1' } })).toBe(canonicalInput({ input: { a: [{ x: 1, y: 2 }], b: 1, idempotencyKey: 'another-2' } }));
    expect(canonicalInput({ input: { a: 1 } })).not.toBe(canonicalInput({ input: { a: '1' } }));
  });

  it('refuses a malformed key before doing anything', async () => {
    const who = member();
    for (const bad of ['short', 'x'.repeat(129), 'has space-1', 'ümlaut-key', '']) {
      const l = label();
      const r = await call(who, bad, { label: l });
      expect(r.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_INVALID']);
      expect(await runs(l)).toBe(0);
    }
    // The edges that pass: 8 and 128 characters of the allowed alphabet.
    for (const good of ['Ab0_-Ab0', 'a'.repeat(128)]) {
      const l = label();
      expect((await call(who, good, { label: l })).userErrors).toEqual([]);
      expect(await runs(l)).toBe(1);
    }
  });

  it('scopes keys per principal: another member, or another account of the same member, runs its own', async () => {
    const a = member();
    const b = member();
    const a2: Identity = { ...member(a.memberId!), accountId: randomUUID() };
    const k = key();
    const la = label();
    await call(a, k, { label: la });
    // Same key, different input: for A this would be REUSED; for B and A2 it is a fresh key.
    const lb = label();
    expect((await call(b, k, { label: lb })).userErrors).toEqual([]);
    const la2 = label();
    expect((await call(a2, k, { label: la2 })).userErrors).toEqual([]);
    expect([await runs(la), await runs(lb), await runs(la2)]).toEqual([1, 1, 1]);
  });

  it('lets two concurrent identical calls run the effect once; the second waits and gets the first answer', async () => {
    const who = member();
    const l = label();
    const k = key();
    const [one, two] = await Promise.all([call(who, k, { label: l }, { sleepMs: 300 }), call(who, k, { label: l }, { sleepMs: 300 })]);
    expect(await runs(l)).toBe(1);
    expect(one.userErrors).toEqual([]);
    expect(two.userErrors).toEqual([]);
    expect(two.thing!.id).toBe(one.thing!.id);
    expect(two.secret).toBe(one.secret);
  });

  it('answers IDEMPOTENCY_KEY_IN_PROGRESS when the first call holds the key longer than the wait allows', async () => {
    const who = member();
    const l = label();
    const k = key();
    const first = call(who, k, { label: l }, { sleepMs: 1500 });
    await new Promise((r) => setTimeout(r, 300));
    const second = await call(who, k, { label: l }, { lockTimeout: '100ms' });
    expect(second.userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_IN_PROGRESS']);
    expect((await first).userErrors).toEqual([]);
    expect(await runs(l)).toBe(1);
  });

  it('releases the key when the effect fails (its claim rolls back with it), so a retry runs', async () => {
    const who = member();
    const l = label();
    const k = key();
    await expect(call(who, k, { label: l }, { fail: true })).rejects.toThrow('the effect failed');
    expect(await runs(l)).toBe(0);
    expect((await call(who, k, { label: l })).userErrors).toEqual([]);
    expect(await runs(l)).toBe(1);
  });

  it('forgets a key after 24 hours (taken over on use, deleted by the purge)', async () => {
    const who = member();
    const l = label();
    const k = key();
    await call(who, k, { label: l });
    clock.set(new Date(clock.now().getTime() + IDEMPOTENCY_TTL_MS - 1000));
    expect((await call(who, k, { label: `${l}-x` })).userErrors.map((e) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    clock.set(new Date(clock.now().getTime() + 2000));
    expect((await call(who, k, { label: `${l}-x` })).userErrors).toEqual([]);
    expect(await runs(`${l}-x`)).toBe(1);

    const stale = key();
    await call(who, stale, { label: label() });
    clock.set(new Date(clock.now().getTime() + IDEMPOTENCY_TTL_MS + 1000));
    const purged = await purgeExpiredIdempotencyKeys(orm.em.fork() as EntityManager, SCHEMA, clock.now());
    expect(purged).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from ${SCHEMA}.idempotency_key where expires_at <= $1`, [clock.now()]);
    expect(rows[0]!.n).toBe(0);
  });

  it("replays an operator's answer too: the operator has no member, so the entity is reloaded past the member filter", async () => {
    const someMember = randomUUID();
    const operator: Identity = { kind: 'operator', accountId: randomUUID(), memberId: null, sessionId: null, scopes: new Set(), clientIp: '127.0.0.1', requestId: randomUUID() };
    const l = label();
    const k = key();
    // The operator acts on a member's row (as operator services do, with the filter off).
    const act = (ctx: IdempotencyContext) => withIdempotency(ctx, { operation: 'operatorMakeThing', key: k, input: { label: l }, refused }, async (tx) => {
      const thing = tx.em.create(Thing, { id: randomUUID(), memberId: someMember, label: l, createdAt: clock.now() });
      await tx.em.flush();
      await tx.em.execute(`insert into ${SCHEMA}.effect (label, runs) values (?, 1) on conflict (label) do update set runs = effect.runs + 1`, [l]);
      return { thing, at: clock.now(), secret: 'operator-secret', userErrors: [] } as Payload;
    });
    const first = await act(ctxOf(operator));
    const replay = await act(ctxOf(operator));
    expect(await runs(l)).toBe(1);
    expect(replay.thing!.id).toBe(first.thing!.id);
    expect(replay.thing!.memberId).toBe(someMember);
  });

  it('stores neither the key nor the first answer in clear', async () => {
    const who = member();
    const l = label();
    const k = key();
    const first = await call(who, k, { label: l });
    const { rows } = await pool.query<Record<string, string>>(`select * from ${SCHEMA}.idempotency_key where member_id = $1`, [who.memberId]);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(k);
    expect(stored).not.toContain(first.secret!);
    expect(stored).not.toContain(l);
  });
});
