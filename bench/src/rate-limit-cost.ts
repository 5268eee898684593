/**
 * The rate limiter's cost per request: `gateway.rate_take` for a member's two request buckets,
 * against a `select 1` round trip on the same pool as the control (the floor any statement pays).
 * Sequential latency, then throughput with 8 requests in flight on distinct members and on one
 * hot member (every request locks the same rows).
 *
 *   TEST_DATABASE_ADMIN_URL=postgres://postgres@127.0.0.1:5444/postgres npx tsx bench/src/rate-limit-cost.ts
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '@portal/db';
import { createPgRateLimitStore } from '@portal/gateway';

const N = Number(process.env.N ?? 3000);
const database = await createTestDatabase('portal_ratebench');
const pool = new pg.Pool({ connectionString: database.url, max: 8 });
try {
  const store = await createPgRateLimitStore(pool, { longestWindowSeconds: 60 });
  const huge = { quota: 1e9, windowSeconds: 60 };
  const bucketsOf = (member: string) => [
    { kind: 'account', key: `account:${member}`, policy: huge },
    { kind: 'member', key: `member:${member}`, policy: huge },
  ];
  const members = Array.from({ length: 200 }, () => randomUUID());
  const control = () => pool.query({ name: 'one', text: 'select 1' });
  const take = (i: number) => store.take(bucketsOf(members[i % members.length]!), 1);
  const hot = () => store.take(bucketsOf(members[0]!), 1);

  const sequential = async (fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 300; i++) await fn(i); // warm-up: prepared statements, plan cache
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = process.hrtime.bigint();
      await fn(i);
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(N / 2)]!, p99: times[Math.floor(N * 0.99)]! };
  };
  const parallel = async (fn: (i: number) => Promise<unknown>) => {
    let next = 0;
    const t = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < N) await fn(next++);
    }));
    return N / (Number(process.hrtime.bigint() - t) / 1e9);
  };

  const c = await sequential(() => control());
  const r = await sequential(take);
  const cT = await parallel(() => control());
  const rT = await parallel(take);
  const hT = await parallel(() => hot());
  const us = (x: number) => `${x.toFixed(0)} µs`;
  console.log(`sequential, ${N} calls: select 1 median ${us(c.median)} (p99 ${us(c.p99)}); rate_take (2 buckets) median ${us(r.median)} (p99 ${us(r.p99)}); added per request ≈ ${us(r.median)} (one round trip), of which ${us(r.median - c.median)} over a bare round trip`);
  console.log(`8 in flight: select 1 ${cT.toFixed(0)}/s; rate_take on 200 members ${rT.toFixed(0)}/s; rate_take on one hot member ${hT.toFixed(0)}/s`);
} finally {
  await pool.end();
  await database.drop();
}
