import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData, defaultDemoOptions, DEMO_PASSWORD } from '@portal/demo-data';
import { startStack, type Stack, type SubgraphName } from '@portal/testing';

const ALL: SubgraphName[] = ['billing', 'tenancy', 'smartlock', 'contracts'];

/** One room's fields from all four subgraphs. */
const ROOMS = `query Rooms($first: Int!) {
  rooms(first: $first) {
    edges { node {
      id apNo propertyName roomNumber prefecture city moveInDate hasSmartlock memberNumber
      lease { contractNumber startDate }
      invoiceLines { total }
      residents { name }
      smartlockRecipient { recipientCode }
      fireInsurance { policyNumber }
    } }
  }
}`;

let stack: Stack;
let token: string;

function statements(): Record<SubgraphName, number> {
  return Object.fromEntries(ALL.map((n) => [n, stack.sqlStatements(n)])) as Record<SubgraphName, number>;
}
function diff(before: Record<SubgraphName, number>, after: Record<SubgraphName, number>) {
  return Object.fromEntries(ALL.map((n) => [n, after[n] - before[n]])) as Record<SubgraphName, number>;
}

beforeAll(async () => {
  stack = await startStack();
  await loadDemoData(stack.database.url, defaultDemoOptions(new Date('2026-11-22T00:00:00Z')));
  token = await stack.login('demo-admin', DEMO_PASSWORD);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a room read from all four subgraphs', () => {
  it('returns the fields of every subgraph, with SQL statements that do not grow with the rows', async () => {
    const counts: Record<number, Record<SubgraphName, number>> = {};
    for (const first of [1, 100]) {
      await stack.gql(ROOMS, { first }, { token }); // warm: the session's last-seen update and the plan cache
      const before = statements();
      const r = await stack.gql<{ rooms: { edges: { node: Record<string, unknown> }[] } }>(ROOMS, { first }, { token });
      counts[first] = diff(before, statements());
      expect(r.body.errors).toBeUndefined();
      const nodes = r.body.data!.rooms.edges.map((e) => e.node);
      expect(nodes).toHaveLength(first);
      expect(nodes[0]).toEqual(expect.objectContaining({ apNo: expect.any(String), propertyName: expect.any(String), memberNumber: '10000001' }));
      expect(Array.isArray(nodes[0]!.invoiceLines)).toBe(true);
      expect(Array.isArray(nodes[0]!.residents)).toBe(true);
    }
    console.log(`SQL statements per request, 1 room: ${JSON.stringify(counts[1])}; 100 rooms: ${JSON.stringify(counts[100])}`);
    expect(counts[100]).toEqual(counts[1]);
  });

  it('still answers with the other subgraphs\' data while contracts is down, with an error for the missing part', async () => {
    await stack.stopSubgraph('contracts');
    const r = await stack.gql<{ rooms: { edges: { node: Record<string, unknown> }[] } }>(ROOMS, { first: 3 }, { token });
    const nodes = r.body.data?.rooms.edges.map((e) => e.node) ?? [];
    expect(nodes).toHaveLength(3);
    expect(nodes[0]).toEqual(expect.objectContaining({ apNo: expect.any(String), fireInsurance: null }));
    expect(Array.isArray(nodes[0]!.invoiceLines)).toBe(true);
    const error = r.body.errors?.[0];
    expect(error?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(error?.extensions?.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(r.body.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);

    const health = (await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/health'))).json()) as { status: string; subgraphs: Record<string, string> };
    expect(health.status).toBe('degraded');
    expect(health.subgraphs.contracts).toBe('down');
    expect(health.subgraphs.tenancy).toBe('ok');
  });
});

describe('a subgraph that does not answer', () => {
  it('times out after the configured limit instead of hanging, and the rest of the data still arrives', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const slow = await startStack({ only: ['contracts'], gatewayEnv: { PORTAL_SUBGRAPH_TIMEOUT_MS: '700' }, subgraphUrlOverrides: { contracts: `http://127.0.0.1:${port}/graphql` } });
    try {
      const member = await slow.seed.member();
      const account = await slow.seed.account(member.id, { fireInsurance: 'VIEW' });
      await slow.seed.rooms(member.id, 2);
      // Log in without the gateway: scrypt alone may exceed the 700 ms limit on a loaded machine.
      const token = randomBytes(32).toString('base64url');
      await slow.sql(`insert into tenancy.session (id, token_hash, account_id, member_id, client_ip, expires_at)
                      values (gen_random_uuid(), $1, $2, $3, '127.0.0.1', now() + interval '1 hour')`, [createHash('sha256').update(token).digest(), account.id, member.id]);
      // Without the timeout this request would hang until the test's own limit fails it.
      const r = await slow.gql<{ rooms: { edges: { node: { apNo: string; fireInsurance: null } }[] } }>('{ rooms { edges { node { apNo fireInsurance { policyNumber } } } } }', {}, { token });
      expect(r.body.data?.rooms.edges).toHaveLength(2);
      expect(r.body.data?.rooms.edges[0]?.node.fireInsurance).toBeNull();
      expect(r.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    } finally {
      await slow.stop();
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  }, 60_000);
});
