import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '@portal/testing';
import { bulkRooms, invoices } from './seed.ts';

let stack: Stack;
// 2026-05-20 12:00 JST: May's invoice is out (published 5/8), June's is not.
const TEST_NOW = new Date('2026-05-20T03:00:00Z');
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(TEST_NOW);
});
afterAll(async () => {
  await stack?.stop();
});

async function memberWithLogin(options: { billing?: 'VIEW' | 'UPDATE'; admin?: boolean } = {}) {
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id, { billing: options.billing ?? 'VIEW', admin: options.admin ?? false });
  // Log in on the real clock: tenancy stamps the session with the test clock but the gateway checks it
  // against the database's now(), so a session made at a clock in the past is refused (see report).
  stack.setClock(null);
  try {
    const token = await stack.login(account.loginId, account.password);
    return { member, account, token };
  } finally {
    stack.setClock(TEST_NOW);
  }
}

const LIST = `query($first: Int, $after: String) { invoices(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id billingMonth issueDate dueDate paymentMethod totalAmount printCount status confirmedAt } } } }`;
const ONE = `query($id: ID!, $filter: InvoiceLineFilter) { invoice(id: $id) { id billingMonth totalAmount
  lines(filter: $filter) { totalCount edges { node { apNo propertyName roomNumber memberNumber nextMonthUsageFee annualFee minorServicesFee exitSettlement taxRate total } } } } }`;

type Errors = { extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => (errors ?? []).map((e) => e.extensions?.code);

describe('reading invoices with billing VIEW (every account has it)', () => {
  it('lists issued invoices newest first, pages them, and hides one not yet published', async () => {
    const { member, token } = await memberWithLogin();
    const [room] = await stack.seed.rooms(member.id, 1);
    const seed = invoices(stack, member);
    await seed.invoice({ billingMonth: '2026-03', issueDate: '2026-03-04' }).lines([room!]).save();
    await seed.invoice({ billingMonth: '2026-04', issueDate: '2026-04-03' }).lines([room!]).save();
    const may = await seed.invoice({ billingMonth: '2026-05', issueDate: '2026-05-08', dueDate: '2026-05-29', printCount: 2 }).lines([room!], { nextMonthUsageFee: 48550, annualFee: 19800 }).save();
    await seed.invoice({ billingMonth: '2026-06', issueDate: '2026-06-03' }).lines([room!]).save();

    type List = { invoices: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Record<string, unknown> }[] } };
    const first = await stack.gql<List>(LIST, { first: 2 }, { token });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.invoices.totalCount).toBe(3);
    expect(first.body.data?.invoices.edges.map((e) => e.node.billingMonth)).toEqual(['2026-05', '2026-04']);
    expect(first.body.data?.invoices.edges[0]?.node).toEqual({
      id: may.id, billingMonth: '2026-05', issueDate: '2026-05-08', dueDate: '2026-05-29', paymentMethod: 'TRANSFER',
      totalAmount: 68350, printCount: 2, status: 'PUBLISHED', confirmedAt: null,
    });
    expect(first.body.data?.invoices.pageInfo.hasNextPage).toBe(true);
    const second = await stack.gql<List>(LIST, { first: 2, after: first.body.data?.invoices.pageInfo.endCursor }, { token });
    expect(second.body.data?.invoices.edges.map((e) => e.node.billingMonth)).toEqual(['2026-03']);
    expect(second.body.data?.invoices.pageInfo.hasNextPage).toBe(false);
  });

  it('answers currentInvoice by the clock in JST, null before publication', async () => {
    const { member, token } = await memberWithLogin({ billing: 'UPDATE' });
    const [room] = await stack.seed.rooms(member.id, 1);
    const june = await invoices(stack, member).invoice({ billingMonth: '2026-06', issueDate: '2026-06-03', dueDate: '2026-06-30' }).lines([room!]).save();
    const q = '{ currentInvoice { id billingMonth } }';
    try {
      stack.setClock(new Date('2026-06-02T14:59:59Z')); // 23:59:59 JST on June 2
      expect((await stack.gql<{ currentInvoice: unknown }>(q, {}, { token })).body.data?.currentInvoice).toBeNull();
      stack.setClock(new Date('2026-06-02T15:00:00Z')); // midnight JST, June 3
      expect((await stack.gql<{ currentInvoice: unknown }>(q, {}, { token })).body.data?.currentInvoice).toEqual({ id: june.id, billingMonth: '2026-06' });
    } finally {
      stack.setClock(TEST_NOW);
    }
  });

  it('answers a direct-debit member the invoice it acts on: last month\'s from the 1st to the 26th, this month\'s from its publication on the 27th', async () => {
    const { member, token } = await memberWithLogin({ billing: 'UPDATE' });
    const [room] = await stack.seed.rooms(member.id, 1);
    const seed = invoices(stack, member);
    const may = await seed.invoice({ billingMonth: '2026-05', issueDate: '2026-05-27', dueDate: '2026-06-26', paymentMethod: 'DIRECT_DEBIT' }).lines([room!]).save();
    const june = await seed.invoice({ billingMonth: '2026-06', issueDate: '2026-06-26', dueDate: '2026-07-27', paymentMethod: 'DIRECT_DEBIT' }).lines([room!]).save();
    const q = '{ currentInvoice { id billingMonth closingDate } }';
    const current = async () => (await stack.gql<{ currentInvoice: { id: string; billingMonth: string; closingDate: string } | null }>(q, {}, { token })).body.data?.currentInvoice;
    try {
      stack.setClock(new Date('2026-05-31T15:00:00Z')); // June 1, 00:00 JST
      expect(await current()).toMatchObject({ id: may.id, billingMonth: '2026-05', closingDate: '2026-06-20' });
      stack.setClock(new Date('2026-06-25T14:59:59Z')); // June 25, 23:59:59 JST
      expect(await current()).toMatchObject({ id: may.id });
      stack.setClock(new Date('2026-06-25T15:00:00Z')); // June 26, 00:00 JST: June's is published
      expect(await current()).toMatchObject({ id: june.id, billingMonth: '2026-06' });
    } finally {
      stack.setClock(TEST_NOW);
    }
  });

  it('shows lines with amounts per category, filters them, and reaches the room from tenancy', async () => {
    const { member, token } = await memberWithLogin();
    const rooms = await stack.seed.rooms(member.id, 3, { propertyName: 'レオパレスARKADIA' });
    const [other] = await stack.seed.rooms(member.id, 1, { propertyName: 'レオパレス本荘西' });
    const inv = await invoices(stack, member)
      .invoice({ billingMonth: '2026-05', issueDate: '2026-05-08' })
      .lines(rooms.slice(0, 2), { nextMonthUsageFee: 47550 })
      .lines([rooms[2]!], { nextMonthUsageFee: 47550, annualFee: 19800, taxRate: 10 })
      .lines([other!], { exitSettlement: 41800 })
      .save();

    type One = { invoice: { totalAmount: number; lines: { totalCount: number; edges: { node: Record<string, unknown> }[] } } };
    const all = await stack.gql<One>(ONE, { id: inv.id }, { token });
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data?.invoice.totalAmount).toBe(47550 * 3 + 19800 + 41800);
    expect(all.body.data?.invoice.lines.totalCount).toBe(4);
    const renewal = all.body.data?.invoice.lines.edges.find((e) => e.node.annualFee === 19800)?.node;
    expect(renewal).toMatchObject({ nextMonthUsageFee: 47550, annualFee: 19800, minorServicesFee: 0, exitSettlement: 0, taxRate: 10, total: 67350, memberNumber: member.memberNumber, propertyName: 'レオパレスARKADIA' });

    const byCategory = await stack.gql<One>(ONE, { id: inv.id, filter: { category: 'ANNUAL_FEE' } }, { token });
    expect(byCategory.body.data?.invoice.lines.edges.map((e) => e.node.total)).toEqual([67350]);
    const byName = await stack.gql<One>(ONE, { id: inv.id, filter: { propertyName: '本荘' } }, { token });
    expect(byName.body.data?.invoice.lines.edges.map((e) => e.node.exitSettlement)).toEqual([41800]);
    const combined = await stack.gql<One>(ONE, { id: inv.id, filter: { propertyName: 'ARKADIA', category: 'EXIT_SETTLEMENT' } }, { token });
    expect(combined.body.data?.invoice.lines.totalCount).toBe(0);
    const likeIsLiteral = await stack.gql<One>(ONE, { id: inv.id, filter: { propertyName: '%' } }, { token });
    expect(likeIsLiteral.body.data?.invoice.lines.totalCount).toBe(0);

    const withRoom = await stack.gql<{ invoice: { lines: { edges: { node: { room: { id: string; propertyName: string; roomNumber: string } } }[] } } }>(
      'query($id: ID!) { invoice(id: $id) { lines(filter: { category: EXIT_SETTLEMENT }) { edges { node { room { id propertyName roomNumber } } } } } }',
      { id: inv.id },
      { token },
    );
    expect(withRoom.body.errors).toBeUndefined();
    expect(withRoom.body.data?.invoice.lines.edges[0]?.node.room).toMatchObject({ id: other!.id, propertyName: 'レオパレス本荘西' });
  });

  it('pages an invoice\'s lines by APNo and room number with a cursor', async () => {
    const { member, token } = await memberWithLogin();
    const rooms = await stack.seed.rooms(member.id, 5);
    const inv = await invoices(stack, member).invoice({ billingMonth: '2026-05' }).lines(rooms).save();
    const q = 'query($id: ID!, $after: String) { invoice(id: $id) { lines(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { roomNumber } } } } }';
    type Page = { invoice: { lines: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { roomNumber: string } }[] } } };
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 3; i++) {
      const r = await stack.gql<Page>(q, { id: inv.id, after }, { token });
      const lines = r.body.data!.invoice.lines;
      expect(lines.totalCount).toBe(5);
      seen.push(...lines.edges.map((e) => e.node.roomNumber));
      expect(lines.pageInfo.hasNextPage).toBe(i < 2);
      after = lines.pageInfo.endCursor;
    }
    expect(seen).toEqual(['101', '102', '103', '104', '105']);
  });

  it('gives each room its invoice lines, by month or all published months', async () => {
    const { member, token } = await memberWithLogin();
    const [room] = await stack.seed.rooms(member.id, 1);
    const seed = invoices(stack, member);
    await seed.invoice({ billingMonth: '2026-04', issueDate: '2026-04-03' }).lines([room!], { nextMonthUsageFee: 40000 }).save();
    await seed.invoice({ billingMonth: '2026-05', issueDate: '2026-05-08' }).lines([room!], { nextMonthUsageFee: 50000 }).save();
    await seed.invoice({ billingMonth: '2026-06', issueDate: '2026-06-03' }).lines([room!], { nextMonthUsageFee: 60000 }).save();
    const q = 'query($m: String) { rooms { edges { node { id invoiceLines(billingMonth: $m) { total } } } } }';
    type Rooms = { rooms: { edges: { node: { invoiceLines: { total: number }[] } }[] } };
    const all = await stack.gql<Rooms>(q, {}, { token });
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data?.rooms.edges[0]?.node.invoiceLines.map((l) => l.total)).toEqual([50000, 40000]);
    const april = await stack.gql<Rooms>(q, { m: '2026-04' }, { token });
    expect(april.body.data?.rooms.edges[0]?.node.invoiceLines.map((l) => l.total)).toEqual([40000]);
    const bad = await stack.gql<Rooms>(q, { m: '2026-4' }, { token });
    expect(codes(bad.body.errors)).toContain('BAD_USER_INPUT');
  });
});

describe('refusals', () => {
  const queries = ['{ invoices { totalCount } }', '{ currentInvoice { id } }', `{ invoice(id: "${randomUUID()}") { id } }`];

  it('refuses every billing field to an anonymous caller, at the gateway and at the subgraph', async () => {
    for (const query of queries) {
      const before = stack.sqlStatements('billing');
      const viaGateway = await stack.gql(query);
      expect(stack.sqlStatements('billing')).toBe(before); // refused before any subgraph is called
      expect(codes(viaGateway.body.errors)).toEqual(['UNAUTHENTICATED']);
      expect(viaGateway.body.data ?? null).toBeNull();
      const direct = await stack.callSubgraph('billing', query);
      expect(codes(direct.body.errors)).toContain('UNAUTHENTICATED');
    }
    const entities = await stack.callSubgraph<{ _entities: unknown[] }>('billing', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Room { invoiceLines { total } } } }', {
      r: [{ __typename: 'Room', id: randomUUID() }],
    });
    expect(codes(entities.body.errors)).toContain('UNAUTHENTICATED');
  });

  it('answers 401 to a request without the internal identity', async () => {
    const r = await stack.callSubgraph('billing', '{ invoices { totalCount } }', {}, { identity: false });
    expect(r.status).toBe(401);
  });

  it('refuses billing fields, Room.invoiceLines included, to an identity without billing:view (the subgraph guards fields itself)', async () => {
    // No account can lack billing:view today (scopesFor always grants it); a signed identity without it proves the
    // subgraph enforces the directives on its own types and fields, not only the gateway.
    const { member } = await memberWithLogin();
    const identity = { kind: 'member' as const, accountId: randomUUID(), memberId: member.id, sessionId: null, scopes: new Set(['smartlock:view'] as const), clientIp: '127.0.0.1', requestId: randomUUID() };
    for (const query of queries) {
      const r = await stack.callSubgraph('billing', query, {}, { identity });
      expect(codes(r.body.errors)).toContain('FORBIDDEN');
    }
    const entities = await stack.callSubgraph('billing', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Room { id invoiceLines { total } } } }', {
      r: [{ __typename: 'Room', id: randomUUID() }],
    }, { identity });
    expect(codes(entities.body.errors)).toContain('FORBIDDEN');
  });

  it('lets both billing levels read (VIEW and UPDATE), through the gateway and straight to the subgraph', async () => {
    for (const level of ['VIEW', 'UPDATE'] as const) {
      const { account, token } = await memberWithLogin({ billing: level });
      for (const query of queries) {
        expect((await stack.gql(query, {}, { token })).body.errors).toBeUndefined();
        expect((await stack.callSubgraph('billing', query, {}, { accountId: account.id })).body.errors).toBeUndefined();
      }
    }
  });
});

describe('member isolation', () => {
  it('never shows another member\'s invoices or lines, whatever id is supplied', async () => {
    const a = await memberWithLogin({ admin: true });
    const b = await memberWithLogin();
    const [roomA] = await stack.seed.rooms(a.member.id, 1);
    const [roomB] = await stack.seed.rooms(b.member.id, 1);
    const invA = await invoices(stack, a.member).invoice({ billingMonth: '2026-05' }).lines([roomA!], { nextMonthUsageFee: 1000 }).save();
    const invB = await invoices(stack, b.member).invoice({ billingMonth: '2026-05' }).lines([roomB!], { nextMonthUsageFee: 2000 }).save();

    const other = await stack.gql(ONE, { id: invB.id }, { token: a.token });
    const missing = await stack.gql(ONE, { id: randomUUID() }, { token: a.token });
    const malformed = await stack.gql(ONE, { id: 'not-a-uuid' }, { token: a.token });
    expect(other.body).toEqual({ data: { invoice: null } });
    expect(missing.body).toEqual(other.body);
    expect(malformed.body).toEqual(other.body);

    const list = await stack.gql<{ invoices: { edges: { node: { id: string } }[] } }>(LIST, {}, { token: a.token });
    expect(list.body.data?.invoices.edges.map((e) => e.node.id)).toEqual([invA.id]);
    const current = await stack.gql<{ currentInvoice: { id: string } }>('{ currentInvoice { id lines { edges { node { total } } } } }', {}, { token: a.token });
    expect(current.body.data?.currentInvoice).toEqual({ id: invA.id, lines: { edges: [{ node: { total: 1000 } }] } });

    // Straight to the subgraph with A's identity: B's room has no lines for A, exactly like an unknown room.
    const entities = await stack.callSubgraph<{ _entities: { id: string; invoiceLines: { total: number }[] }[] }>(
      'billing',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Room { id invoiceLines { total } } } }',
      { r: [{ __typename: 'Room', id: roomB!.id }, { __typename: 'Room', id: roomA!.id }, { __typename: 'Room', id: randomUUID() }] },
      { accountId: a.account.id },
    );
    expect(entities.body.errors).toBeUndefined();
    expect(entities.body.data?._entities.map((e) => e.invoiceLines)).toEqual([[], [{ total: 1000 }], []]);
    const direct = await stack.callSubgraph('billing', 'query($id: ID!) { invoice(id: $id) { id } }', { id: invB.id }, { accountId: a.account.id });
    expect(direct.body).toEqual({ data: { invoice: null } });
  });
});

describe('table constraints', () => {
  it('refuses a line filed under another member\'s invoice or another month, and computes the total itself', async () => {
    const a = await stack.seed.member();
    const b = await stack.seed.member();
    const [roomB] = await stack.seed.rooms(b.id, 1);
    const invA = await invoices(stack, a).invoice({ billingMonth: '2026-05' }).save();
    const insert = (memberId: string, month: string) =>
      stack.sql(
        `insert into billing.invoice_line (id, member_id, invoice_id, billing_month, room_id, ap_no, property_name, room_number, member_number, next_month_usage_fee)
         values ($1, $2, $3, $4, $5, 'AP1', 'x', '101', '12345678', 100) returning total`,
        [randomUUID(), memberId, invA.id, month, roomB!.id],
      );
    await expect(insert(b.id, '2026-05')).rejects.toThrow(/invoice_line_invoice_fkey/);
    await expect(insert(a.id, '2026-04')).rejects.toThrow(/invoice_line_invoice_fkey/);
    expect(await insert(a.id, '2026-05')).toEqual([{ total: 100 }]);
    await expect(invoices(stack, a).invoice({ billingMonth: '2026-05' }).save()).rejects.toThrow(/invoice_member_month_key/);
  });
});

describe('SQL statements do not grow with rows', () => {
  async function measure(query: string, variables: Record<string, unknown>, token: string) {
    const before = { billing: stack.sqlStatements('billing'), tenancy: stack.sqlStatements('tenancy') };
    const r = await stack.gql(query, variables, { token });
    expect(r.body.errors).toBeUndefined();
    return { body: r.body, billing: stack.sqlStatements('billing') - before.billing, tenancy: stack.sqlStatements('tenancy') - before.tenancy };
  }

  it('reads an invoice\'s lines with room data in the same statements for 10 and 1,000 lines', async () => {
    const q = 'query($id: ID!) { invoice(id: $id) { lines(first: 1000) { totalCount edges { node { total room { apNo propertyName } } } } } }';
    const results = [];
    for (const count of [10, 1000]) {
      const { member, token } = await memberWithLogin();
      const rooms = await bulkRooms(stack, member.id, count);
      const inv = await invoices(stack, member).invoice({ billingMonth: '2026-05' }).lines(rooms, { nextMonthUsageFee: 45050 }).save();
      await measure(q, { id: inv.id }, token); // warm-up: the first request of a login may touch the session row
      const m = await measure(q, { id: inv.id }, token);
      const lines = (m.body.data as { invoice: { lines: { totalCount: number; edges: { node: { total: number; room: { apNo: string } } }[] } } }).invoice.lines;
      expect(lines.totalCount).toBe(count);
      expect(lines.edges).toHaveLength(count);
      expect(lines.edges.every((e) => e.node.total === 45050 && e.node.room.apNo)).toBe(true);
      results.push(m);
    }
    console.log(`invoice lines: 10 lines → billing ${results[0]!.billing}, tenancy ${results[0]!.tenancy}; 1000 lines → billing ${results[1]!.billing}, tenancy ${results[1]!.tenancy}`);
    expect(results[1]!.billing).toBe(results[0]!.billing);
    expect(results[1]!.tenancy).toBe(results[0]!.tenancy);
    expect(results[0]!.billing).toBeGreaterThan(0);
  });

  it('pages the lines of every invoice in a list in the same statements for 1 and 6 invoices', async () => {
    const q = '{ invoices(first: 12) { edges { node { billingMonth lines(first: 2, filter: { category: NEXT_MONTH_USAGE_FEE }) { totalCount edges { node { total } } } } } } }';
    const results = [];
    for (const months of [1, 6]) {
      const { member, token } = await memberWithLogin();
      const rooms = await bulkRooms(stack, member.id, 3);
      for (let m = 1; m <= months; m++) await invoices(stack, member).invoice({ billingMonth: `2025-${String(m).padStart(2, '0')}` }).lines(rooms, { nextMonthUsageFee: 1000 * m }).save();
      await measure(q, {}, token);
      const r = await measure(q, {}, token);
      const edges = (r.body.data as { invoices: { edges: { node: { billingMonth: string; lines: { totalCount: number; edges: { node: { total: number } }[] } } }[] } }).invoices.edges;
      expect(edges).toHaveLength(months);
      for (const { node } of edges) {
        const m = Number(node.billingMonth.slice(5));
        expect(node.lines.totalCount).toBe(3);
        expect(node.lines.edges.map((e) => e.node.total)).toEqual([1000 * m, 1000 * m]);
      }
      results.push(r);
    }
    expect(results[1]!.billing).toBe(results[0]!.billing);
  });

  it('reads Room.invoiceLines in the same statements for 1 and 100 rooms', async () => {
    // 100 rooms, not 200: Room.invoiceLines is costed at its unfiltered size (@listSize 60), so 200 rooms
    // with their lines and a hop back to the room is over the gateway's default cost limit.
    const q = '{ rooms(first: 100) { edges { node { apNo invoiceLines(billingMonth: "2026-05") { total room { roomNumber } } } } } }';
    const results = [];
    for (const count of [1, 100]) {
      const { member, token } = await memberWithLogin();
      const rooms = await bulkRooms(stack, member.id, count);
      await invoices(stack, member).invoice({ billingMonth: '2026-05' }).lines(rooms, { nextMonthUsageFee: 45050 }).save();
      await measure(q, {}, token);
      const m = await measure(q, {}, token);
      const edges = (m.body.data as { rooms: { edges: { node: { invoiceLines: { total: number }[] } }[] } }).rooms.edges;
      expect(edges).toHaveLength(count);
      expect(edges.every((e) => e.node.invoiceLines.length === 1 && e.node.invoiceLines[0]!.total === 45050)).toBe(true);
      results.push(m);
    }
    console.log(`Room.invoiceLines: 1 room → billing ${results[0]!.billing}, tenancy ${results[0]!.tenancy}; 100 rooms → billing ${results[1]!.billing}, tenancy ${results[1]!.tenancy}`);
    expect(results[1]!.billing).toBe(results[0]!.billing);
    expect(results[1]!.tenancy).toBe(results[0]!.tenancy);
  });
});
