import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { member } from './seed.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'contracts'] });
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  stack.setClock(null);
});

const ROOMS = `query($first: Int) { rooms(first: $first) { edges { node { id apNo fireInsurance { policyNumber coverageKind status } hasFireInsurance } } } }`;
const POLICIES = `query($filter: FireInsurancePolicyFilter, $first: Int, $after: String) {
  fireInsurancePolicies(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id policyNumber coverageKind status registrationKind startDate endDate premium coverageBasic hasCertificate room { id apNo } } }
  }
}`;
// The same list as the subgraph sees it (apNo lives in tenancy).
const SUBGRAPH_POLICIES = POLICIES.replace('room { id apNo }', 'room { id }');
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Room { id fireInsurance { id policyNumber } hasFireInsurance } } }`;

type RoomsData = { rooms: { edges: { node: { id: string; apNo: string; fireInsurance: { policyNumber: string; coverageKind: string; status: string } | null; hasFireInsurance: boolean | null } }[] } };
type PoliciesData = {
  fireInsurancePolicies: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; policyNumber: string; coverageKind: string; status: string; room: { id: string; apNo: string } | null; hasCertificate: boolean } }[];
  };
};
type EntitiesData = { _entities: ({ id: string; fireInsurance: { id: string; policyNumber: string } | null; hasFireInsurance: boolean } | null)[] };

const codes = (r: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => (r.body.errors ?? []).map((e) => e.extensions?.code);
const jst = (date: string) => new Date(`${date}T12:00:00+09:00`);

describe('fire insurance permission levels', () => {
  it('NONE is refused Room.fireInsurance, Room.hasFireInsurance and fireInsurancePolicies at the gateway, before any contracts SQL', async () => {
    const m = await member(stack).build();
    const [room] = await m.rooms(1);
    const policy = await m.roomPolicy(room!.id);
    const none = await m.account({ fireInsurance: 'NONE' });

    for (const [query, variables] of [
      [ROOMS, { first: 10 }],
      ['{ rooms { edges { node { id hasFireInsurance } } } }', {}],
      [POLICIES, {}],
    ] as const) {
      const before = stack.sqlStatements('contracts');
      const r = await stack.gql(query, variables, { token: none.token });
      expect(codes(r)).toContain('FORBIDDEN');
      expect(JSON.stringify(r.body)).not.toContain(policy.policyNumber);
      expect(stack.sqlStatements('contracts')).toBe(before);
    }

    // Rooms without the insurance fields stay readable for the same account.
    const plain = await stack.gql<RoomsData>('{ rooms { edges { node { id apNo } } } }', {}, { token: none.token });
    expect(plain.body.errors).toBeUndefined();
    expect(plain.body.data?.rooms.edges.map((e) => e.node.id)).toEqual([room!.id]);
  });

  it('NONE is refused by the contracts subgraph itself, for _entities and for the root field', async () => {
    const m = await member(stack).build();
    const [room] = await m.rooms(1);
    const policy = await m.roomPolicy(room!.id);
    const none = await m.account({ fireInsurance: 'NONE' });

    const entities = await stack.callSubgraph<EntitiesData>('contracts', ENTITIES, { r: [{ __typename: 'Room', id: room!.id }] }, { accountId: none.id });
    expect(codes(entities)).toContain('FORBIDDEN');
    expect(JSON.stringify(entities.body)).not.toContain(policy.policyNumber);

    const list = await stack.callSubgraph('contracts', SUBGRAPH_POLICIES, {}, { accountId: none.id });
    expect(codes(list)).toEqual(['FORBIDDEN']);
    expect(list.body.data ?? null).toBeNull();
  });

  it.each([
    ['VIEW', { fireInsurance: 'VIEW' as const }],
    ['USE', { fireInsurance: 'USE' as const }],
    ['administrator', { admin: true }],
  ])('%s reads the room\'s policy and the policy list, through the gateway and at the subgraph', async (_label, permissions) => {
    const m = await member(stack).build();
    const [room] = await m.rooms(1);
    const policy = await m.roomPolicy(room!.id);
    const account = await m.account(permissions);

    const rooms = await stack.gql<RoomsData>(ROOMS, { first: 10 }, { token: account.token });
    expect(rooms.body.errors).toBeUndefined();
    expect(rooms.body.data?.rooms.edges[0]?.node).toMatchObject({ id: room!.id, hasFireInsurance: true, fireInsurance: { policyNumber: policy.policyNumber, coverageKind: 'PER_ROOM', status: 'ACTIVE' } });

    const list = await stack.gql<PoliciesData>(POLICIES, {}, { token: account.token });
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data?.fireInsurancePolicies.edges.map((e) => [e.node.policyNumber, e.node.room?.id, e.node.room?.apNo])).toEqual([
      [policy.policyNumber, room!.id, rooms.body.data?.rooms.edges[0]?.node.apNo],
    ]);

    const direct = await stack.callSubgraph<EntitiesData>('contracts', ENTITIES, { r: [{ __typename: 'Room', id: room!.id }] }, { accountId: account.id });
    expect(direct.body.errors).toBeUndefined();
    expect(direct.body.data?._entities).toEqual([{ id: room!.id, fireInsurance: { id: policy.id, policyNumber: policy.policyNumber }, hasFireInsurance: true }]);
  });

  it('refuses an anonymous caller at the gateway and at the subgraph', async () => {
    const r = await stack.gql(POLICIES);
    expect(codes(r)).toContain('UNAUTHENTICATED');
    const direct = await stack.callSubgraph('contracts', SUBGRAPH_POLICIES);
    expect(codes(direct)).toContain('UNAUTHENTICATED');
    const noIdentity = await stack.callSubgraph('contracts', SUBGRAPH_POLICIES, {}, { identity: false });
    expect(noIdentity.status).toBe(401);
  });
});

describe('which policy covers a room', () => {
  it('a per-room policy wins over the blanket one; the blanket one covers the rest; none leaves the room uninsured', async () => {
    const m = await member(stack).build();
    const [withOwn, blanketOnly, expiredOwn] = await m.rooms(3);
    const blanket = await m.blanketPolicy({ startDate: '2025-06-01', endDate: '2027-05-31' });
    const own = await m.roomPolicy(withOwn!.id, { startDate: '2026-01-01', endDate: '2026-12-31' });
    await m.roomPolicy(expiredOwn!.id, { startDate: '2024-01-01', endDate: '2025-12-31' });
    const viewer = await m.account({ fireInsurance: 'VIEW' });
    const byRoom = async () => {
      const r = await stack.gql<RoomsData>(ROOMS, { first: 10 }, { token: viewer.token });
      expect(r.body.errors).toBeUndefined();
      return new Map(r.body.data!.rooms.edges.map((e) => [e.node.id, [e.node.fireInsurance?.policyNumber ?? null, e.node.hasFireInsurance]]));
    };

    stack.setClock(jst('2026-06-01'));
    let covered = await byRoom();
    expect(covered.get(withOwn!.id)).toEqual([own.policyNumber, true]);
    expect(covered.get(blanketOnly!.id)).toEqual([blanket.policyNumber, true]);
    expect(covered.get(expiredOwn!.id)).toEqual([blanket.policyNumber, true]);

    // The blanket policy's end date is still covered; the day after, every room is uninsured.
    stack.setClock(jst('2027-05-31'));
    covered = await byRoom();
    expect([...covered.values()]).toEqual([[blanket.policyNumber, true], [blanket.policyNumber, true], [blanket.policyNumber, true]]);
    stack.setClock(jst('2027-06-01'));
    covered = await byRoom();
    expect([...covered.values()]).toEqual([[null, false], [null, false], [null, false]]);
  });
});

describe('fireInsurancePolicies', () => {
  it('hides expired and cancelled policies unless asked, filters by number and kind, and pages', async () => {
    const m = await member(stack).build();
    const rooms = await m.rooms(3);
    const blanket = await m.blanketPolicy({ startDate: '2025-06-01', endDate: '2027-05-31', certificateFileKey: 'certs/a.pdf' });
    const a = await m.roomPolicy(rooms[0]!.id, { startDate: '2026-01-01', endDate: '2026-12-31' });
    const upcoming = await m.roomPolicy(rooms[1]!.id, { startDate: '2026-09-01', endDate: '2028-08-31' });
    const ended = await m.roomPolicy(rooms[2]!.id, { startDate: '2024-06-01', endDate: '2026-05-31' });
    const cancelled = await m.roomPolicy(rooms[2]!.id, { startDate: '2026-06-01', endDate: '2028-05-31', registrationKind: 'CANCELLED_MIDTERM' });
    const viewer = await m.account({ fireInsurance: 'VIEW' });
    const list = async (variables: Record<string, unknown>) => {
      const r = await stack.gql<PoliciesData>(POLICIES, variables, { token: viewer.token });
      expect(r.body.errors).toBeUndefined();
      return r.body.data!.fireInsurancePolicies;
    };

    // On its end date a policy is still listed; the day after it is gone unless expired ones are included.
    stack.setClock(jst('2026-05-31'));
    let page = await list({});
    expect(page.edges.map((e) => e.node.policyNumber)).toEqual([upcoming.policyNumber, a.policyNumber, blanket.policyNumber, ended.policyNumber]);
    expect(page.edges.map((e) => e.node.status)).toEqual(['UPCOMING', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(page.edges.map((e) => e.node.hasCertificate)).toEqual([false, false, true, false]);
    expect(page.edges[2]?.node.room).toBeNull();

    stack.setClock(jst('2026-06-01'));
    page = await list({});
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((e) => e.node.policyNumber)).toEqual([upcoming.policyNumber, a.policyNumber, blanket.policyNumber]);
    page = await list({ filter: { includeExpired: true } });
    expect(page.edges.map((e) => [e.node.policyNumber, e.node.status])).toEqual([
      [upcoming.policyNumber, 'UPCOMING'],
      [cancelled.policyNumber, 'CANCELLED'],
      [a.policyNumber, 'ACTIVE'],
      [blanket.policyNumber, 'ACTIVE'],
      [ended.policyNumber, 'EXPIRED'],
    ]);

    expect((await list({ filter: { policyNumber: a.policyNumber } })).edges.map((e) => e.node.id)).toEqual([a.id]);
    expect((await list({ filter: { coverageKind: 'BLANKET' } })).edges.map((e) => e.node.id)).toEqual([blanket.id]);

    const first = await list({ first: 2, filter: { includeExpired: true } });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await list({ first: 2, after: first.pageInfo.endCursor, filter: { includeExpired: true } });
    const third = await list({ first: 2, after: second.pageInfo.endCursor, filter: { includeExpired: true } });
    expect(third.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...second.edges, ...third.edges].map((e) => e.node.policyNumber)).toEqual([
      upcoming.policyNumber, cancelled.policyNumber, a.policyNumber, blanket.policyNumber, ended.policyNumber,
    ]);

    const bad = await stack.gql(POLICIES, { first: 0 }, { token: viewer.token });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const badCursor = await stack.gql(POLICIES, { after: 'not-a-cursor' }, { token: viewer.token });
    expect(codes(badCursor)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('member isolation', () => {
  it('never shows another member\'s policies, whatever room id or policy number is supplied', async () => {
    const a = await member(stack).build();
    const b = await member(stack).build();
    const [roomA] = await a.rooms(1);
    const [roomB] = await b.rooms(1);
    await a.roomPolicy(roomA!.id);
    const policyB = await b.roomPolicy(roomB!.id);
    await b.blanketPolicy();
    const viewerA = await a.account({ fireInsurance: 'VIEW' });

    // Straight to the subgraph: B's room behaves exactly like a room that does not exist.
    const missing = '7d0f3c1e-0000-4000-8000-000000000000';
    const direct = await stack.callSubgraph<EntitiesData>('contracts', ENTITIES, {
      r: [{ __typename: 'Room', id: roomB!.id }, { __typename: 'Room', id: missing }, { __typename: 'Room', id: 'not-a-uuid' }],
    }, { accountId: viewerA.id });
    expect(direct.body.errors).toBeUndefined();
    expect(direct.body.data?._entities).toEqual([
      { id: roomB!.id, fireInsurance: null, hasFireInsurance: false },
      { id: missing, fireInsurance: null, hasFireInsurance: false },
      { id: 'not-a-uuid', fireInsurance: null, hasFireInsurance: false },
    ]);

    const byNumber = await stack.gql<PoliciesData>(POLICIES, { filter: { policyNumber: policyB.policyNumber, includeExpired: true } }, { token: viewerA.token });
    expect(byNumber.body.data?.fireInsurancePolicies).toMatchObject({ totalCount: 0, edges: [] });
    const all = await stack.callSubgraph<PoliciesData>('contracts', SUBGRAPH_POLICIES, { filter: { includeExpired: true } }, { accountId: viewerA.id });
    expect(all.body.data?.fireInsurancePolicies.edges.map((e) => e.node.room?.id)).toEqual([roomA!.id]);
    expect(JSON.stringify(all.body)).not.toContain(policyB.policyNumber);
  });

  it('a blanket policy of the caller covers only the caller\'s rooms: another member\'s room id and an unknown id get null', async () => {
    const a = await member(stack).build();
    const b = await member(stack).build();
    const [roomA] = await a.rooms(1);
    const [roomB] = await b.rooms(1);
    const blanketA = await a.blanketPolicy();
    const policyB = await b.roomPolicy(roomB!.id);
    await b.blanketPolicy();
    const viewerA = await a.account({ fireInsurance: 'VIEW' });
    const missing = '7d0f3c1e-0000-4000-8000-000000000001';
    const direct = await stack.callSubgraph<EntitiesData>('contracts', ENTITIES, {
      r: [{ __typename: 'Room', id: roomA!.id }, { __typename: 'Room', id: roomB!.id }, { __typename: 'Room', id: missing }],
    }, { accountId: viewerA.id });
    expect(direct.body.errors).toBeUndefined();
    expect(direct.body.data?._entities).toEqual([
      { id: roomA!.id, fireInsurance: { id: blanketA.id, policyNumber: blanketA.policyNumber }, hasFireInsurance: true },
      { id: roomB!.id, fireInsurance: null, hasFireInsurance: false },
      { id: missing, fireInsurance: null, hasFireInsurance: false },
    ]);
    expect(JSON.stringify(direct.body)).not.toContain(policyB.policyNumber);
  });
});

describe('blanket policies and the room read model', () => {
  it('cover a room only once tenancy\'s room event reached contracts, until its lease ends or it is removed', async () => {
    const m = await member(stack).build();
    const blanket = await m.blanketPolicy({ startDate: '2025-06-01', endDate: '2027-05-31' });
    const viewer = await m.account({ fireInsurance: 'VIEW' });
    // A room tenancy has written but whose event has not been relayed yet: not a contracted room here.
    const { id: roomId } = await stack.seed.room(m.memberId, { readModels: false });
    const covered = async () => {
      const r = await stack.callSubgraph<EntitiesData>('contracts', ENTITIES, { r: [{ __typename: 'Room', id: roomId }] }, { accountId: viewer.id });
      expect(r.body.errors).toBeUndefined();
      return r.body.data!._entities[0]?.fireInsurance?.policyNumber ?? null;
    };
    stack.setClock(jst('2026-06-01'));
    expect(await covered()).toBeNull();

    await relayAndConsume();
    expect(await covered()).toBe(blanket.policyNumber);

    // The lease ends on 2026-06-30 (tenancy changes the lease and writes the event in one transaction).
    await stack.sql(`update tenancy.lease set end_date = '2026-06-30' where room_id = $1`, [roomId]);
    await stack.roomEvents.upsert([roomId]);
    await relayAndConsume();
    stack.setClock(jst('2026-06-30'));
    expect(await covered()).toBe(blanket.policyNumber);
    stack.setClock(jst('2026-07-01'));
    expect(await covered()).toBeNull();

    // Removed from tenancy: the tombstone keeps it uncovered.
    stack.setClock(jst('2026-06-01'));
    await stack.roomEvents.remove([{ roomId, memberId: m.memberId }]);
    await relayAndConsume();
    expect(await covered()).toBeNull();
  }, 60_000);
});

/** Runs tenancy's outbox relay and contracts' consumer until the outbox is drained and the queue is empty. */
async function relayAndConsume() {
  await stack.roomEvents.relay();
  await vi.waitFor(async () => {
    const [pending] = await stack.sql<{ n: number }>('select count(*)::int as n from tenancy.event_outbox where published_at is null');
    expect(pending?.n).toBe(0);
    await stack.subgraphs.contracts!.services.events!.runDue('contracts.room-events');
    const [open] = await stack.sql<{ n: number }>(`select count(*)::int as n from portal_events.job where name = 'contracts.room-events' and state in ('created', 'retry', 'active')`);
    expect(open?.n).toBe(0);
  }, { timeout: 20_000, interval: 200 });
}

describe('batching', () => {
  it('runs as many contracts SQL statements for 100 rooms as for 1', async () => {
    const m = await member(stack).build();
    const rooms = await m.rooms(100);
    await m.blanketPolicy();
    for (const room of rooms.slice(0, 30)) await m.roomPolicy(room.id);
    const viewer = await m.account({ fireInsurance: 'VIEW' });
    const query = `query($first: Int) { rooms(first: $first) { edges { node { id fireInsurance { policyNumber } hasFireInsurance } } } }`;

    const statementsFor = async (first: number) => {
      const before = stack.sqlStatements('contracts');
      const r = await stack.gql<RoomsData>(query, { first }, { token: viewer.token });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data?.rooms.edges).toHaveLength(first);
      expect(r.body.data?.rooms.edges.every((e) => e.node.hasFireInsurance === true && e.node.fireInsurance !== null)).toBe(true);
      return stack.sqlStatements('contracts') - before;
    };
    const one = await statementsFor(1);
    const hundred = await statementsFor(100);
    console.info(`contracts SQL statements: rooms(first: 1) → ${one}, rooms(first: 100) → ${hundred}`);
    expect(one).toBeGreaterThan(0);
    expect(hundred).toBe(one);
  }, 120_000);
});
