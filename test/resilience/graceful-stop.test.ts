import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@portal/schema-tools';
import { startStack, type Stack } from '@portal/testing';
import { delayingProxy, freePort } from './proxies.ts';

/**
 * Issue 10 item 10, acceptance: SIGTERM to the gateway (a real child process started the way
 * `npm start` starts it: `node --import tsx gateway/src/main.ts`) with 10 slow requests in flight:
 * all 10 complete, new connections are refused, the process exits within the drain timeout.
 */
const DRAIN_TIMEOUT_MS = 8_000;
const SUBGRAPH_DELAY_MS = 1_500;

let stack: Stack;
let slowTenancy: Awaited<ReturnType<typeof delayingProxy>>;
let child: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  stack = await startStack({ only: [] });
  slowTenancy = await delayingProxy(stack.subgraphs.tenancy!.url, SUBGRAPH_DELAY_MS);
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await slowTenancy?.close();
  await stack?.stop();
});

const connectOutcome = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

async function startGatewayProcess(port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: stack.database.url,
      PORTAL_PORT: String(port),
      PORTAL_HOST: '127.0.0.1',
      PORTAL_INTERNAL_PRIVATE_KEY: stack.identityPrivateKeyPem,
      PORTAL_SUPERGRAPH_PATH: stack.supergraphPath,
      PORTAL_SUBGRAPH_URLS: `tenancy=${slowTenancy.url}`,
      PORTAL_SUBGRAPH_TIMEOUT_MS: '20000',
      PORTAL_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
      PORTAL_LOG_LEVEL: 'warn',
    },
  });
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`gateway exited at start (${proc.exitCode}):\n${output}`);
    if ((await connectOutcome(port)) === 'accepted') return proc;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gateway did not listen within 60 s:\n${output}`);
}

describe('graceful stop of the gateway (issue 10 item 10)', () => {
  it('finishes 10 slow requests in flight, refuses new connections, and exits within the drain timeout', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id, { billing: 'VIEW' });
    const token = await stack.login(account.loginId, account.password);
    const port = await freePort();
    child = await startGatewayProcess(port);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child!.once('exit', (code) => resolve({ code, at: Date.now() })));

    const before = slowTenancy.received;
    const inFlight = Array.from({ length: 10 }, () =>
      fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { scopes } }' }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: { me?: { scopes: string[] } }; errors?: unknown[] } })),
    );
    // All ten have reached the (slow) subgraph: they are in flight in the gateway.
    while (slowTenancy.received - before < 10) await new Promise((r) => setTimeout(r, 20));

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(await connectOutcome(port)).toBe('ECONNREFUSED');

    const answers = await Promise.all(inFlight);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.me?.scopes).toContain('billing:view');
    }
    const exit = await exited;
    console.info(`gateway exited ${exit.at - signalledAt} ms after SIGTERM (drain timeout ${DRAIN_TIMEOUT_MS} ms, requests ${SUBGRAPH_DELAY_MS} ms)`);
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(DRAIN_TIMEOUT_MS);
    expect(output).not.toMatch(/cut off|took too long/);
  });
});

describe('graceful stop of a subgraph (issue 10 item 10)', () => {
  it('finishes 10 requests in flight before it closes its pools, and refuses new connections meanwhile', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id);
    const tenancy = stack.subgraphs.tenancy!;
    const port = new URL(tenancy.url).port;
    // Requests that stay in flight: the member table is locked by another transaction until we say.
    const locker = new pg.Client({ connectionString: stack.database.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table tenancy.member in access exclusive mode');
    const inFlight = Array.from({ length: 10 }, () => stack.callSubgraph<{ me: { member: { name: string } } }>('tenancy', '{ me { member { name } } }', {}, { accountId: account.id }));
    while (tenancy.inFlight < 10) await new Promise((r) => setTimeout(r, 20));

    const stopped = stack.stopSubgraph('tenancy');
    await new Promise((r) => setTimeout(r, 200));
    expect(tenancy.draining).toBe(true);
    expect(await connectOutcome(Number(port))).toBe('ECONNREFUSED');
    await locker.query('commit');
    await locker.end();

    const answers = await Promise.all(inFlight);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.me.member.name).toBeTruthy();
    }
    await stopped;
  });
});
