import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '@portal/testing';

let stack: Stack;
const NOW = new Date('2026-05-18T03:00:00Z');
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(NOW);
});
afterAll(async () => {
  await stack?.stop();
});

const HEADER = 'member_id,member_number,billing_month,payment_method,due_date,room_id,ap_no,property_name,room_number,next_month_usage_fee,annual_fee,minor_services_fee,exit_settlement,tax_rate';
const IMPORT = `mutation($csv: String!) { importInvoices(input: { csv: $csv }) { lineCount invoices { id memberId memberNumber billingMonth issueDate dueDate paymentMethod totalAmount status lineCount } userErrors { code field message messageJa } } }`;
const operatorIdentity = () => ({ kind: 'operator' as const, accountId: randomUUID(), memberId: null, sessionId: null, scopes: new Set(['operator'] as const), clientIp: '127.0.0.1', requestId: randomUUID() });
type Payload = { importInvoices: { lineCount: number; invoices: Record<string, unknown>[]; userErrors: { code: string; field: string; message: string; messageJa: string }[] } };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);

async function operatorToken(): Promise<string> {
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id, {});
  const loginId = `ops-${randomUUID().slice(0, 8)}`;
  await stack.sql(`insert into tenancy.operator_account (id, login_id, name, email, password_hash) select gen_random_uuid(), $1, '管理 花子', 'ops@example.co.jp', password_hash from tenancy.account where id = $2`, [loginId, account.id]);
  stack.setClock(null);
  try {
    const r = await stack.gql<{ operatorLogin: { token: string } }>('mutation($i: LoginInput!) { operatorLogin(input: $i) { token } }', { i: { loginId, password: account.password } });
    return r.body.data!.operatorLogin.token;
  } finally {
    stack.setClock(NOW);
  }
}

async function members() {
  const a = await stack.seed.member();
  const b = await stack.seed.member();
  const roomsA = await stack.seed.rooms(a.id, 2);
  const roomsB = await stack.seed.rooms(b.id, 1);
  return { a, b, roomsA, roomsB };
}

describe('importInvoices (operator)', () => {
  it('publishes invoices of several members from one file, with the calendar\'s publication date, visible to each member only', async () => {
    const { a, b, roomsA, roomsB } = await members();
    const csv = [
      `${HEADER},annual_fee_kind`,
      `${a.id},${a.memberNumber},2026-05,TRANSFER,2026-05-29,${roomsA[0]!.id},12625,"レオパレスARKADIA, 東棟",203,47550,19800,0,0,10,更新費用`,
      `${a.id},${a.memberNumber},2026-05,TRANSFER,2026-05-29,${roomsA[1]!.id},12625,レオパレスARKADIA,204,47550,0,1500,0,10,`,
      `${b.id},${b.memberNumber},2026-05,DIRECT_DEBIT,2026-06-26,${roomsB[0]!.id},13156,レオパレスアムール,203,0,0,0,41800,8,`,
    ].join('\r\n');
    const token = await operatorToken();
    const r = await stack.gql<Payload>(IMPORT, { csv: `\uFEFF${csv}` }, { token });
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data!.importInvoices;
    expect(p.userErrors).toEqual([]);
    expect(p.lineCount).toBe(3);
    const byMember = new Map(p.invoices.map((i) => [i.memberId, i]));
    expect(byMember.get(a.id)).toMatchObject({ memberNumber: a.memberNumber, billingMonth: '2026-05', issueDate: '2026-05-08', dueDate: '2026-05-29', paymentMethod: 'TRANSFER', totalAmount: 47550 + 19800 + 47550 + 1500, status: 'PUBLISHED', lineCount: 2 });
    expect(byMember.get(b.id)).toMatchObject({ issueDate: '2026-05-27', totalAmount: 41800, lineCount: 1 });

    // The annual fee keeps its kind (年会費 / 維持手数料 / 更新費用), so documents can name it.
    expect(await stack.sql('select room_number, annual_fee_kind from billing.invoice_line where member_id = $1 order by room_number', [a.id])).toEqual([
      { room_number: '203', annual_fee_kind: 'RENEWAL_FEE' },
      { room_number: '204', annual_fee_kind: null },
    ]);

    const audit = await stack.sql<{ member_id: string; actor_type: string; action: string }>('select member_id, actor_type, action from billing.audit_outbox where member_id = any($1::uuid[])', [[a.id, b.id]]);
    expect(audit).toHaveLength(2);
    expect(audit.every((e) => e.actor_type === 'OPERATOR' && e.action === 'INVOICES_IMPORTED')).toBe(true);

    const account = await stack.seed.account(a.id, {});
    const seen = await stack.callSubgraph<{ invoices: { edges: { node: { id: string; lines: { edges: { node: { propertyName: string } }[] } } }[] } }>('billing', '{ invoices { edges { node { id lines { edges { node { propertyName } } } } } } }', {}, { accountId: account.id });
    expect(seen.body.data?.invoices.edges.map((e) => e.node.id)).toEqual([byMember.get(a.id)!.id]);
    expect(seen.body.data?.invoices.edges[0]?.node.lines.edges.map((e) => e.node.propertyName)).toContain('レオパレスARKADIA, 東棟');
  });

  it('validates every row and writes nothing when any row is wrong, naming line and column', async () => {
    const { a, roomsA } = await members();
    const csv = [
      HEADER,
      `${a.id},${a.memberNumber},2026-06,TRANSFER,2026-06-30,${roomsA[0]!.id},12625,レオパレスARKADIA,203,47550,0,0,0,10`,
      `${a.id},${a.memberNumber},2026-06,TRANSFER,2026-06-30,${roomsA[1]!.id},12625,レオパレスARKADIA,204,-5,0,0,0,9`,
      `${a.id},${a.memberNumber},2026-06,DIRECT_DEBIT,2026-06-30,${roomsA[0]!.id},12625,レオパレスARKADIA,203,1,0,0,0,10`,
      `${a.id},${a.memberNumber},2026-07,TRANSFER,2026-07-01,${roomsA[0]!.id},12625,レオパレスARKADIA,203,1,0,0,0,10`,
    ].join('\n');
    const r = await stack.callSubgraph<Payload>('billing', IMPORT, { csv }, { identity: operatorIdentity() });
    const p = r.body.data!.importInvoices;
    expect(p.invoices).toEqual([]);
    expect(p.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_VALUE', 'csv.line3.next_month_usage_fee'],
      ['INVALID_VALUE', 'csv.line3.tax_rate'],
      ['INCONSISTENT_INVOICE', 'csv.line4.payment_method'],
      ['DUPLICATE_ROOM', 'csv.line4.room_id'],
      ['DUE_BEFORE_ISSUE', 'csv.line5.due_date'],
    ]);
    expect(p.userErrors[0]!.messageJa).toMatch(/^3行目: /);
    expect(await stack.sql('select 1 from billing.invoice where member_id = $1', [a.id])).toEqual([]);
  });

  it('refuses a wrong header and an invoice that already exists, all or nothing', async () => {
    const { a, b, roomsA, roomsB } = await members();
    const bad = await stack.callSubgraph<Payload>('billing', IMPORT, { csv: 'member_id,billing_month\nx,y' }, { identity: operatorIdentity() });
    expect(bad.body.data!.importInvoices.userErrors.map((e) => e.code)).toEqual(['CSV_HEADER']);
    const first = [HEADER, `${a.id},${a.memberNumber},2026-05,TRANSFER,2026-05-29,${roomsA[0]!.id},1,P,101,100,0,0,0,10`].join('\n');
    expect((await stack.callSubgraph<Payload>('billing', IMPORT, { csv: first }, { identity: operatorIdentity() })).body.data!.importInvoices.userErrors).toEqual([]);
    const second = [HEADER, `${b.id},${b.memberNumber},2026-05,TRANSFER,2026-05-29,${roomsB[0]!.id},1,P,101,100,0,0,0,10`, `${a.id},${a.memberNumber},2026-05,TRANSFER,2026-05-29,${roomsA[1]!.id},1,P,102,100,0,0,0,10`].join('\n');
    const again = await stack.callSubgraph<Payload>('billing', IMPORT, { csv: second }, { identity: operatorIdentity() });
    expect(again.body.data!.importInvoices.userErrors.map((e) => [e.code, e.field])).toEqual([['INVOICE_EXISTS', 'csv.line3.billing_month']]);
    expect(await stack.sql('select 1 from billing.invoice where member_id = $1', [b.id])).toEqual([]);
    expect(await stack.sql('select count(*)::int as n from billing.invoice_line where member_id = $1', [a.id])).toEqual([{ n: 1 }]);
  });

  it('refuses an annual fee whose kind (年会費 / 維持手数料 / 更新費用) is missing or unknown', async () => {
    const { a, roomsA } = await members();
    const row = (room: { id: string }, fee: number, kind: string) => `${a.id},${a.memberNumber},2026-08,TRANSFER,2026-08-31,${room.id},1,P,101,1000,${fee},0,0,10${kind === '-' ? '' : `,${kind}`}`;
    const errors = async (csv: string) => (await stack.callSubgraph<Payload>('billing', IMPORT, { csv }, { identity: operatorIdentity() })).body.data!.importInvoices.userErrors.map((e) => [e.code, e.field]);
    // No column at all, and a blank cell: the fee cannot be named.
    expect(await errors([HEADER, row(roomsA[0]!, 19800, '-')].join('\n'))).toEqual([['INVALID_VALUE', 'csv.line2.annual_fee_kind']]);
    expect(await errors([`${HEADER},annual_fee_kind`, row(roomsA[0]!, 19800, ''), row(roomsA[1]!, 19800, '年会費/維持手数料/更新手数料')].join('\n'))).toEqual([
      ['INVALID_VALUE', 'csv.line2.annual_fee_kind'],
      ['INVALID_VALUE', 'csv.line3.annual_fee_kind'],
    ]);
    expect(await stack.sql('select 1 from billing.invoice where member_id = $1 and billing_month = $2', [a.id, '2026-08'])).toEqual([]);
  });

  it('shows the operator which invoices are confirmed, with totals after holds', async () => {
    const { a, roomsA } = await members();
    const csv = [`${HEADER},annual_fee_kind`, ...roomsA.map((r, i) => `${a.id},${a.memberNumber},2026-05,TRANSFER,2026-05-29,${r.id},1,P,10${i},1000,500,0,0,10,維持手数料`)].join('\n');
    const imported = await stack.callSubgraph<Payload>('billing', IMPORT, { csv }, { identity: operatorIdentity() });
    const invoiceId = imported.body.data!.importInvoices.invoices[0]!.id as string;
    const clerk = await stack.seed.account(a.id, { billing: 'UPDATE' });
    const [line] = await stack.sql<{ id: string }>('select id from billing.invoice_line where invoice_id = $1 limit 1', [invoiceId]);
    await stack.callSubgraph('billing', 'mutation($i: SaveInvoiceHoldsInput!) { saveInvoiceHolds(input: $i) { userErrors { code } } }', { i: { invoiceId, hold: [{ lineId: line!.id, target: 'ANNUAL_FEE', reason: '確認中' }] } }, { accountId: clerk.id });
    await stack.callSubgraph('billing', 'mutation($id: ID!) { confirmInvoice(input: { invoiceId: $id }) { userErrors { code } } }', { id: invoiceId }, { accountId: clerk.id });
    const q = 'query($f: OperatorInvoiceFilter) { operatorInvoices(filter: $f) { id memberNumber status confirmedAt totalAmount changedTotalAmount heldLineCount } }';
    const r = await stack.callSubgraph<{ operatorInvoices: Record<string, unknown>[] }>('billing', q, { f: { memberNumber: a.memberNumber, status: 'CONFIRMED' } }, { identity: operatorIdentity() });
    expect(r.body.data?.operatorInvoices).toEqual([{ id: invoiceId, memberNumber: a.memberNumber, status: 'CONFIRMED', confirmedAt: NOW.toISOString(), totalAmount: 3000, changedTotalAmount: 2500, heldLineCount: 1 }]);
  });

  it('refuses member accounts, administrators included, at the gateway and at the subgraph', async () => {
    const { a, roomsA } = await members();
    const admin = await stack.seed.account(a.id, { admin: true, billing: 'UPDATE' });
    stack.setClock(null);
    const token = await stack.login(admin.loginId, admin.password);
    stack.setClock(NOW);
    const csv = [HEADER, `${a.id},${a.memberNumber},2026-05,TRANSFER,2026-05-29,${roomsA[0]!.id},1,P,101,100,0,0,0,10`].join('\n');
    for (const [q, v] of [[IMPORT, { csv }], ['{ operatorInvoices { id } }', {}]] as const) {
      const g = await stack.gql(q, v, { token });
      expect(codes(g.body.errors)).toEqual(['FORBIDDEN']);
      const d = await stack.callSubgraph('billing', q, v, { accountId: admin.id });
      expect(codes(d.body.errors)).toContain('FORBIDDEN');
    }
    expect(await stack.sql('select 1 from billing.invoice where member_id = $1', [a.id])).toEqual([]);
  });

  it('accepts a late invoice with a 5-business-day confirmation window from the day it appeared, and refuses one already past due (FAQ M:2576–2578)', async () => {
    const { a, b, roomsA, roomsB } = await members();
    const row = (m: { id: string; memberNumber: string }, roomId: string, month = '2026-05', due = '2026-05-29') => `${m.id},${m.memberNumber},${month},TRANSFER,${due},${roomId},1,P,101,1000,0,0,0,10`;
    const STATE = 'query($id: ID!) { invoice(id: $id) { issueDate closingDate confirmable } }';
    const CONFIRM = 'mutation($id: ID!) { confirmInvoice(input: { invoiceId: $id }) { userErrors { code } } }';
    // the control: b's invoice is imported on its publication day (Fri 5/8), a's ten days late (Mon 5/18)
    stack.setClock(new Date('2026-05-08T00:00:00Z'));
    const onTime = await stack.callSubgraph<Payload>('billing', IMPORT, { csv: [HEADER, row(b, roomsB[0]!.id)].join('\n') }, { identity: operatorIdentity() });
    stack.setClock(NOW);
    const late = await stack.callSubgraph<Payload>('billing', IMPORT, { csv: [HEADER, row(a, roomsA[0]!.id)].join('\n') }, { identity: operatorIdentity() });
    expect([onTime.body.data!.importInvoices.userErrors, late.body.data!.importInvoices.userErrors]).toEqual([[], []]);
    const ids = { a: late.body.data!.importInvoices.invoices[0]!.id as string, b: onTime.body.data!.importInvoices.invoices[0]!.id as string };
    expect(await stack.sql('select late_published_on::text as d from billing.invoice where id = any($1) order by member_id = $2', [[ids.a, ids.b], a.id])).toEqual([{ d: null }, { d: '2026-05-18' }]);
    const clerkA = await stack.seed.account(a.id, { billing: 'UPDATE' });
    const clerkB = await stack.seed.account(b.id, { billing: 'UPDATE' });
    const state = async (id: string, accountId: string) => (await stack.callSubgraph<{ invoice: Record<string, unknown> }>('billing', STATE, { id }, { accountId })).body.data!.invoice;
    expect(await state(ids.a, clerkA.id)).toEqual({ issueDate: '2026-05-08', closingDate: '2026-05-25', confirmable: true });
    expect(await state(ids.b, clerkB.id)).toEqual({ issueDate: '2026-05-08', closingDate: '2026-05-20', confirmable: true });

    // 00:00 JST on the 21st: the on-time invoice has closed, the late one has not
    stack.setClock(new Date('2026-05-20T15:00:00Z'));
    expect(await state(ids.b, clerkB.id)).toMatchObject({ confirmable: false });
    expect(await state(ids.a, clerkA.id)).toMatchObject({ confirmable: true });
    // 00:00 JST on the 26th: the late one has closed too
    stack.setClock(new Date('2026-05-25T15:00:00Z'));
    expect(await state(ids.a, clerkA.id)).toMatchObject({ confirmable: false });
    const refused = await stack.callSubgraph<{ confirmInvoice: { userErrors: { code: string }[] } }>('billing', CONFIRM, { id: ids.a }, { accountId: clerkA.id });
    expect(refused.body.data!.confirmInvoice.userErrors.map((e) => e.code)).toEqual(['CLOSING_DAY_PASSED']);
    // 23:59:59 JST on the 25th, its last day: confirmed
    stack.setClock(new Date('2026-05-25T14:59:59Z'));
    const confirmed = await stack.callSubgraph<{ confirmInvoice: { userErrors: { code: string }[] } }>('billing', CONFIRM, { id: ids.a }, { accountId: clerkA.id });
    expect(confirmed.body.data!.confirmInvoice.userErrors).toEqual([]);

    // an April invoice due 4/30, imported on 5/18: refused, nothing written; due today is still accepted
    stack.setClock(NOW);
    const pastDue = await stack.callSubgraph<Payload>('billing', IMPORT, { csv: [HEADER, row(a, roomsA[1]!.id, '2026-04', '2026-04-30')].join('\n') }, { identity: operatorIdentity() });
    expect(pastDue.body.data!.importInvoices.userErrors.map((e) => [e.code, e.field])).toEqual([['DUE_DATE_PASSED', 'csv.line2.due_date']]);
    expect(pastDue.body.data!.importInvoices.userErrors[0]!.messageJa).toContain('お支払期限');
    const dueToday = await stack.callSubgraph<Payload>('billing', IMPORT, { csv: [HEADER, row(a, roomsA[1]!.id, '2026-04', '2026-05-18')].join('\n') }, { identity: operatorIdentity() });
    expect(dueToday.body.data!.importInvoices.userErrors).toEqual([]);
  });
});
