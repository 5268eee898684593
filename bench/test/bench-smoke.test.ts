import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack, type SubgraphName } from '@portal/testing';
import { loadSupergraph } from '@portal/gateway';
import { countRepresentations } from '@portal/subgraph-kit';
import { Planner, dedupeRepresentations, executePlan, type ExecutionStats } from '../src/plan-executor.ts';
import { shapes } from '../src/workloads.ts';

/**
 * Keeps the bench's own code honest on a tiny data set: the floor client (plan + hand-written
 * execution) returns what the gateway returns, and the subgraphs' representation counters count.
 */
let stack: Stack;
let token: string;
let accountId: string;
const ROOMS = `query Rooms { rooms(first: 10) { edges { node { id roomNumber hasSmartlock residents { id } hasFireInsurance } } } }`;

beforeAll(async () => {
  stack = await startStack();
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id, { admin: true, residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' });
  accountId = account.id;
  await stack.seed.rooms(member.id, 3);
  token = await stack.login(account.loginId, account.password);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the floor client', () => {
  it('runs the planner\'s fetches in order with a signed identity and returns the gateway\'s data', async () => {
    const planner = new Planner(loadSupergraph(readFileSync(new URL('../../supergraph.graphql', import.meta.url), 'utf8')).gatewaySdl);
    const stats: ExecutionStats = { fetches: 0, representations: 0 };
    const smartlock = stack.subgraphs.smartlock!.metrics;
    const before = { sent: smartlock.representations, distinct: smartlock.distinctRepresentations, calls: smartlock.entityCalls };
    const floor = await executePlan(planner.plan(ROOMS), {}, async (name, query, variables) => (await stack.callSubgraph(name as SubgraphName, query, variables, { accountId })).body as never, stats);
    expect(floor.errors).toEqual([]);
    const gateway = await stack.gql<{ rooms: { edges: { node: Record<string, unknown> }[] } }>(ROOMS, {}, { token });
    expect(gateway.body.errors).toBeUndefined();
    const pick = (nodes: Record<string, unknown>[]) => nodes.map((n) => ({ id: n.id, roomNumber: n.roomNumber, residents: n.residents, hasFireInsurance: n.hasFireInsurance })).sort((a, b) => String(a.id).localeCompare(String(b.id)));
    const floorNodes = (floor.data.rooms as { edges: { node: Record<string, unknown> }[] }).edges.map((e) => e.node);
    expect(floorNodes).toHaveLength(3);
    expect(pick(floorNodes)).toEqual(pick(gateway.body.data!.rooms.edges.map((e) => e.node)));
    // tenancy, then smartlock and contracts for the three rooms.
    expect(stats.fetches).toBe(3);
    expect(stats.representations).toBe(6);
    expect(smartlock.entityCalls - before.calls).toBeGreaterThanOrEqual(1);
  });

  it('sends one representation per distinct entity', () => {
    const entities: Record<string, string | number>[] = [{ __typename: 'Room', id: 'a', x: 1 }, { __typename: 'Room', id: 'b' }, { __typename: 'Room', id: 'a', x: 2 }];
    const requires = [{ kind: 'InlineFragment' as const, typeCondition: 'Room', selections: [{ kind: 'Field' as const, name: '__typename' }, { kind: 'Field' as const, name: 'id' }] }];
    expect(dedupeRepresentations(entities, requires)).toEqual({ representations: [{ __typename: 'Room', id: 'a' }, { __typename: 'Room', id: 'b' }], slotOf: [0, 1, 0] });
  });

  it('plans every generated query shape (they are valid and all different)', () => {
    const planner = new Planner(loadSupergraph(readFileSync(new URL('../../supergraph.graphql', import.meta.url), 'utf8')).gatewaySdl);
    const ops = shapes({ currentMonth: '2026-11', rounds: 1 });
    expect(new Set(ops.map((o) => o.query)).size).toBe(ops.length);
    for (const op of ops.slice(0, 20)) expect(planner.plan(op.query, op.operationName).node).toBeDefined();
  });
});

describe('the representation counter', () => {
  it('counts representations sent and distinct, whatever the key order', () => {
    expect(countRepresentations({ variables: { representations: [{ __typename: 'Room', id: 'a' }, { id: 'a', __typename: 'Room' }, { __typename: 'Room', id: 'b' }] } })).toEqual({ sent: 3, distinct: 2 });
    expect(countRepresentations({ query: '{ me { account { id } } }' })).toBeNull();
  });

  it('is what a subgraph reports on /metrics', async () => {
    const contracts = stack.subgraphs.contracts!;
    const before = (await (await fetch(contracts.url.replace('/graphql', '/metrics'))).json()) as { representationsTotal: number; representationsDistinct: number };
    const reps = [{ __typename: 'Room', id: '00000000-0000-4000-8000-000000000001' }, { __typename: 'Room', id: '00000000-0000-4000-8000-000000000001' }];
    const r = await stack.callSubgraph('contracts', 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Room { hasFireInsurance } } }', { representations: reps }, { accountId });
    expect(r.status).toBe(200);
    const after = (await (await fetch(contracts.url.replace('/graphql', '/metrics'))).json()) as { representationsTotal: number; representationsDistinct: number };
    expect(after.representationsTotal - before.representationsTotal).toBe(2);
    expect(after.representationsDistinct - before.representationsDistinct).toBe(1);
  });
});
