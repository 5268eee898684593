import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import pg from 'pg';
import pino from 'pino';
import { composeServices } from '@apollo/composition';
import { defineEntity } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DEADLINE_HEADER, IDENTITY_HEADER, anonymousIdentity, createIdentitySigner, generateIdentityKeys } from '@portal/auth';
import { systemClock } from '@portal/platform';
import { SqlMetrics, initOrm, startSubgraphServer, type PlatformServices, type RunningSubgraph, type SubgraphContext } from '@portal/subgraph-kit';
import { startGateway, type RunningGateway } from '@portal/gateway';
import { createTestDatabase, type TestDatabase } from '@portal/db';

/**
 * Issue 10 item 4: work that outlives its request. A test subgraph ("slowlane", built with the same
 * subgraph-kit server and ORM set-up as the real ones) has one mutation that writes a row, runs a
 * deliberately slow statement (pg_sleep) and writes a second row, all in one transaction. Behind the
 * real gateway with a short subgraph timeout, the abandoned request must leave nothing committed and
 * issue no SQL after the gateway gave up; the slow statement itself is cancelled on the server.
 */
const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { "Liveness (test only)." ping: Boolean! }
  type Mutation {
    "Writes a 'before' row, sleeps sleepMs in SQL, writes an 'after' row; one transaction (test only)."
    slowWrite(tag: String!, sleepMs: Int!): Boolean!
  }
`;

const Note = defineEntity({
  name: 'SlowNote',
  tableName: 'note',
  properties: (p) => ({
    id: p.uuid().primary(),
    tag: p.string(),
    step: p.string(),
  }),
});

const GATEWAY_TIMEOUT_MS = 600;
const SLEEP_MS = 2_500;

let database: TestDatabase;
let orm: MikroORM;
let subgraph: RunningSubgraph;
let gateway: RunningGateway;
let pool: pg.Pool;
let metrics: SqlMetrics;
let sign: () => Promise<string>;

beforeAll(async () => {
  database = await createTestDatabase('portal_deadline');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  pool.on('error', () => undefined);
  await pool.query('create schema slowlane; create table slowlane.note (id uuid primary key, tag text not null, step text not null)');
  const keys = await generateIdentityKeys();
  metrics = new SqlMetrics();
  orm = await initOrm({ schema: 'slowlane', databaseUrl: database.url, entities: [Note], migrations: [], metrics, poolSize: 4 });
  const quiet = pino({ level: 'silent' });
  subgraph = await startSubgraphServer(
    {
      name: 'slowlane',
      sdl: SDL,
      orm,
      metrics,
      identityPublicKeyPem: keys.publicKeyPem,
      clock: systemClock,
      services: {} as PlatformServices,
      loaders: () => ({}),
      log: quiet,
      resolvers: {
        Query: { ping: () => true },
        Mutation: {
          slowWrite: async (_: unknown, args: { tag: string; sleepMs: number }, ctx: SubgraphContext) => {
            await ctx.em.transactional(async (em) => {
              em.create(Note, { id: randomUUID(), tag: args.tag, step: 'before' });
              await em.flush();
              if (args.sleepMs > 0) await em.execute('select pg_sleep(?)', [args.sleepMs / 1000]);
              em.create(Note, { id: randomUUID(), tag: args.tag, step: 'after' });
              await em.flush();
            });
            return true;
          },
        },
      } as never,
    },
    0,
  );
  const composed = composeServices([{ name: 'slowlane', url: subgraph.url, typeDefs: parse(SDL) }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const supergraphPath = path.join(mkdtempSync(path.join(tmpdir(), 'portal-deadline-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  gateway = await startGateway(
    {
      DATABASE_URL: database.url,
      PORTAL_PORT: '0',
      PORTAL_HOST: '127.0.0.1',
      PORTAL_INTERNAL_PRIVATE_KEY: keys.privateKeyPem,
      PORTAL_SUPERGRAPH_PATH: supergraphPath,
      PORTAL_SUBGRAPH_URLS: `slowlane=${subgraph.url}`,
      PORTAL_SUBGRAPH_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
      // This file tests deadlines, not the breaker: keep it closed whatever the timeouts.
      PORTAL_BREAKER_FAILURES: '1000',
    },
    quiet,
  );
  const signer = await createIdentitySigner(keys.privateKeyPem);
  sign = () => signer.sign(anonymousIdentity('127.0.0.1', randomUUID()), 'slowlane');
});

afterAll(async () => {
  await gateway?.stop();
  await subgraph?.stop();
  await orm?.close(true);
  await pool?.end();
  await database?.drop();
});

const WRITE = 'mutation W($tag: String!, $ms: Int!) { slowWrite(tag: $tag, sleepMs: $ms) }';

async function viaGateway(tag: string, ms: number) {
  const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: WRITE, variables: { tag, ms } }) });
  return (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

const rowsOf = async (tag: string) => (await pool.query<{ step: string }>('select step from slowlane.note where tag = $1 order by step', [tag])).rows.map((r) => r.step);
const sleepsRunning = async () =>
  (await pool.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and query like 'select pg_sleep%' and pid <> pg_backend_pid()`)).rows[0]!.n;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('deadline propagation (issue 10 item 4)', () => {
  it('control: within the timeout both rows are committed', async () => {
    const tag = `ctl-${randomUUID()}`;
    const answer = await viaGateway(tag, 0);
    expect(answer.errors).toBeUndefined();
    expect(await rowsOf(tag)).toEqual(['after', 'before']);
  });

  it('a request the gateway gave up on commits nothing, issues no more SQL, and its slow statement is cancelled', async () => {
    const tag = `late-${randomUUID()}`;
    const answer = await viaGateway(tag, SLEEP_MS);
    expect(answer.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    const statementsWhenGivenUp = metrics.total;
    // The slow statement is cancelled on the server, not left to run out its 2.5 s.
    let running = 1;
    for (let i = 0; i < 40 && running > 0; i++) {
      running = await sleepsRunning();
      if (running > 0) await pause(50);
    }
    expect(running).toBe(0);
    // Past the moment the sleep would have ended and the second write would have run.
    await pause(SLEEP_MS);
    expect(await rowsOf(tag)).toEqual([]);
    expect(metrics.total).toBe(statementsWhenGivenUp);
  });

  it('a caller that closes the connection stops the work the same way (no deadline header needed)', async () => {
    const tag = `gone-${randomUUID()}`;
    const aborted = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await sign() },
      body: JSON.stringify({ query: WRITE, variables: { tag, ms: SLEEP_MS } }),
      signal: AbortSignal.timeout(400),
    }).catch((e: Error) => e.name);
    expect(aborted).toBe('TimeoutError');
    await pause(SLEEP_MS + 300);
    expect(await rowsOf(tag)).toEqual([]);
  });

  it('a deadline already past is refused with DEADLINE_EXCEEDED before any write', async () => {
    const tag = `past-${randomUUID()}`;
    const res = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await sign(), [DEADLINE_HEADER]: String(Date.now() - 1) },
      body: JSON.stringify({ query: WRITE, variables: { tag, ms: 0 } }),
    });
    const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('DEADLINE_EXCEEDED');
    expect(await rowsOf(tag)).toEqual([]);
  });
});
