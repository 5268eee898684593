import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData, defaultDemoOptions, DEMO_PASSWORD } from '@portal/demo-data';
import { startStack, type Stack } from '@portal/testing';

/**
 * mini-admin (member 10000002, administrator: every scope) against member 10000001's data: whatever
 * id it supplies, through the gateway or straight to a subgraph, it sees exactly what it would see
 * for an id that does not exist, and its lists hold only its own member's rows.
 */
let stack: Stack;
let token: string;
let miniAccountId: string;
let sampleRoomIds: string[];
let miniRoomIds: string[];

beforeAll(async () => {
  stack = await startStack();
  await loadDemoData(stack.database.url, defaultDemoOptions(new Date('2026-11-22T00:00:00Z')));
  token = await stack.login('mini-admin', DEMO_PASSWORD);
  miniAccountId = (await stack.sql<{ id: string }>("select id from tenancy.account where login_id = 'mini-admin'"))[0]!.id;
  const rooms = await stack.sql<{ id: string; member_number: string }>('select r.id, m.member_number from tenancy.room r join tenancy.member m on m.id = r.member_id order by r.id');
  sampleRoomIds = rooms.filter((r) => r.member_number === '10000001').slice(0, 5).map((r) => r.id);
  miniRoomIds = rooms.filter((r) => r.member_number === '10000002').map((r) => r.id);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const UNKNOWN = '0f0e0d0c-0b0a-4000-8000-000000000000';

describe("mini-admin and member 10000001's data", () => {
  it('gets null for another member\'s room, exactly as for an unknown id', async () => {
    const q = 'query($id: ID!) { room(id: $id) { id apNo invoiceLines { total } residents { name } smartlockRecipient { recipientCode } fireInsurance { policyNumber } } }';
    const other = await stack.gql(q, { id: sampleRoomIds[0] }, { token });
    const unknown = await stack.gql(q, { id: UNKNOWN }, { token });
    expect(other.body).toEqual(unknown.body);
    expect(other.body).toEqual({ data: { room: null } });
  });

  it('lists only its own rooms and nothing of the other member in any list', async () => {
    const r = await stack.gql<{ rooms: { totalCount: number; edges: { node: { id: string; memberNumber: string } }[] } }>('{ rooms(first: 200) { totalCount edges { node { id memberNumber } } } }', {}, { token });
    expect(r.body.data!.rooms.totalCount).toBe(15);
    expect(new Set(r.body.data!.rooms.edges.map((e) => e.node.memberNumber))).toEqual(new Set(['10000002']));
    expect(r.body.data!.rooms.edges.map((e) => e.node.id).sort()).toEqual([...miniRoomIds].sort());

    const lists = await stack.gql<Record<string, { edges: { node: { id: string } }[] }>>(
      '{ invoices(first: 100) { edges { node { id } } } smartlockRecipients(first: 100) { edges { node { email } } } fireInsurancePolicies(first: 100, filter: { includeExpired: true }) { edges { node { id room { id } } } } approvers(first: 100) { edges { node { email } } } }',
      {},
      { token },
    );
    expect(lists.body.errors).toBeUndefined();
    const text = JSON.stringify(lists.body.data);
    expect(text).not.toContain('10000001');
    for (const id of sampleRoomIds) expect(text).not.toContain(id);
    const ownInvoices = await stack.sql<{ id: string }>("select i.id from billing.invoice i where i.member_id = (select id from tenancy.member where member_number = '10000002')");
    expect(lists.body.data!.invoices!.edges.map((e) => e.node.id).sort()).toEqual(ownInvoices.map((i) => i.id).sort());
  });

  it("gets another member's invoice as null, like an unknown one", async () => {
    // A published invoice of member 10000001 (the demo data may or may not hold one for this month).
    const [invoice] = await stack.sql<{ id: string }>(
      `insert into billing.invoice (id, member_id, billing_month, issue_date, due_date, payment_method, total_amount)
       select gen_random_uuid(), id, '2020-01', '2020-01-07', '2020-01-31', 'TRANSFER', 123456 from tenancy.member where member_number = '10000001'
       returning id`,
    );
    const q = 'query($id: ID!) { invoice(id: $id) { id totalAmount } }';
    const unknown = await stack.gql(q, { id: UNKNOWN }, { token });
    expect(unknown.body).toEqual({ data: { invoice: null } });
    expect((await stack.gql(q, { id: invoice!.id }, { token })).body).toEqual(unknown.body);
    const owner = await stack.login('demo-admin', DEMO_PASSWORD);
    expect((await stack.gql<{ invoice: { totalAmount: number } }>(q, { id: invoice!.id }, { token: owner })).body.data?.invoice?.totalAmount).toBe(123456);
  });

  it('gets nothing of the other member through _entities sent straight to each subgraph with its own valid identity', async () => {
    const representations = [...sampleRoomIds.map((id) => ({ __typename: 'Room', id })), { __typename: 'Room', id: UNKNOWN }];
    const checks: [Parameters<Stack['callSubgraph']>[0], string][] = [
      ['tenancy', '... on Room { id apNo }'],
      ['billing', '... on Room { invoiceLines { total } }'],
      ['smartlock', '... on Room { residents { name } smartlockRecipient { recipientCode } }'],
      ['contracts', '... on Room { fireInsurance { policyNumber } }'],
    ];
    for (const [subgraph, selection] of checks) {
      const r = await stack.callSubgraph<{ _entities: unknown[] }>(subgraph, `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations }, { accountId: miniAccountId });
      expect(r.body.errors, subgraph).toBeUndefined();
      const entities = r.body.data!._entities;
      const unknownAnswer = entities.at(-1);
      for (const e of entities.slice(0, -1)) expect(e, `${subgraph}: another member's room answers like an unknown room`).toEqual(unknownAnswer);
    }
  });
});
