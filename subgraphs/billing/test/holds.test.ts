import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '@portal/testing';
import { invoices } from './seed.ts';

let stack: Stack;
// May's invoice is published on 2026-05-08; its closing day is 2026-05-20 (JST).
const ON_THE_20TH = new Date('2026-05-20T14:59:59Z'); // 23:59:59 JST on the 20th
const ON_THE_21ST = new Date('2026-05-20T15:00:00Z'); // 00:00 JST on the 21st
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(new Date('2026-05-18T03:00:00Z'));
});
afterAll(async () => {
  await stack?.stop();
});

async function login(memberId: string, billing: 'VIEW' | 'UPDATE', admin = false) {
  const account = await stack.seed.account(memberId, { billing, admin });
  const clock = new Date('2026-05-18T03:00:00Z');
  stack.setClock(null);
  try {
    return { account, token: await stack.login(account.loginId, account.password) };
  } finally {
    stack.setClock(clock);
  }
}

async function world() {
  const member = await stack.seed.member();
  const rooms = await stack.seed.rooms(member.id, 4);
  const inv = await invoices(stack, member)
    .invoice({ billingMonth: '2026-05', issueDate: '2026-05-08', dueDate: '2026-05-29' })
    .lines(rooms.slice(0, 2), { nextMonthUsageFee: 47550, annualFee: 19800 })
    .lines(rooms.slice(2), { nextMonthUsageFee: 45050, minorServicesFee: 1500 })
    .save();
  const lines = await stack.sql<{ id: string; room_id: string; total: number }>('select id, room_id, total from billing.invoice_line where invoice_id = $1 order by room_number', [inv.id]);
  return { member, rooms, inv, lines };
}

const SAVE = `mutation($i: SaveInvoiceHoldsInput!) { saveInvoiceHolds(input: $i) {
  invoice { id totalAmount heldAmount changedTotalAmount heldLineCount lines(filter: { held: true }) { totalCount edges { node { id total changedTotal holds { target reason } } } } }
  userErrors { code field message messageJa } } }`;
const CONFIRM = 'mutation($id: ID!) { confirmInvoice(input: { invoiceId: $id }) { invoice { id status confirmedAt confirmable } userErrors { code field messageJa } } }';
type Errors = { extensions?: Record<string, unknown> }[] | undefined;
const codes = (errors: Errors) => (errors ?? []).map((e) => e.extensions?.code);

describe('holds and confirmation (acceptance)', () => {
  it('a clerk holds two lines with reasons, saves, sees the changed total, and confirms on the 20th; the operator gets a mail and the trail an entry', async () => {
    const { member, inv, lines } = await world();
    const { account, token } = await login(member.id, 'UPDATE');
    stack.setClock(new Date('2026-05-18T03:00:00Z'));
    const r = await stack.gql<{ saveInvoiceHolds: { invoice: Record<string, unknown> & { lines: { totalCount: number; edges: { node: { id: string; total: number; changedTotal: number; holds: unknown[] } }[] } }; userErrors: unknown[] } }>(SAVE, {
      i: {
        invoiceId: inv.id,
        hold: [
          { lineId: lines[0]!.id, target: 'ANNUAL_FEE', reason: '更新済みのため二重請求' },
          { lineId: lines[2]!.id, target: 'WHOLE_LINE', reason: '退去済み' },
        ],
      },
    }, { token });
    expect(r.body.errors).toBeUndefined();
    const saved = r.body.data!.saveInvoiceHolds;
    expect(saved.userErrors).toEqual([]);
    const total = 2 * (47550 + 19800) + 2 * (45050 + 1500);
    expect(saved.invoice).toMatchObject({ totalAmount: total, heldAmount: 19800 + 46550, changedTotalAmount: total - 19800 - 46550, heldLineCount: 2 });
    expect(saved.invoice.lines.totalCount).toBe(2);
    const byId = new Map(saved.invoice.lines.edges.map((e) => [e.node.id, e.node]));
    expect(byId.get(lines[0]!.id)).toMatchObject({ total: 67350, changedTotal: 47550, holds: [{ target: 'ANNUAL_FEE', reason: '更新済みのため二重請求' }] });
    expect(byId.get(lines[2]!.id)).toMatchObject({ total: 46550, changedTotal: 0 });

    stack.setClock(ON_THE_20TH);
    const c = await stack.gql<{ confirmInvoice: { invoice: { status: string; confirmedAt: string; confirmable: boolean }; userErrors: unknown[] } }>(CONFIRM, { id: inv.id }, { token });
    expect(c.body.data?.confirmInvoice.userErrors).toEqual([]);
    expect(c.body.data?.confirmInvoice.invoice).toMatchObject({ status: 'CONFIRMED', confirmedAt: ON_THE_20TH.toISOString(), confirmable: false });

    const mail = await stack.sql<{ to: string[]; subject: string; text: string }>(`select "to", subject, text from billing.mail_outbox where text like $1`, [`%${inv.id}%`]);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain(member.memberNumber);
    expect(mail[0]!.text).toContain(`変更後金額合計: ¥${(total - 19800 - 46550).toLocaleString('ja-JP')}`);
    const audit = await stack.sql<{ action: string; account_id: string; target_id: string; details: Record<string, unknown> }>('select action, account_id, target_id, details from billing.audit_feed(0, 10000) where member_id = $1 order by seq', [member.id]);
    expect(audit.map((a) => a.action)).toEqual(['INVOICE_HOLDS_SAVED', 'INVOICE_CONFIRMED']);
    expect(audit.every((a) => a.account_id === account.id && a.target_id === inv.id)).toBe(true);
    expect((audit[0]!.details.held as unknown[]).length).toBe(2);

    // Read-only once confirmed.
    stack.setClock(new Date('2026-05-20T05:00:00Z'));
    const after = await stack.gql<{ saveInvoiceHolds: { userErrors: { code: string }[] } }>(SAVE, { i: { invoiceId: inv.id, release: [{ lineId: lines[0]!.id, target: 'ANNUAL_FEE' }] } }, { token });
    expect(after.body.data?.saveInvoiceHolds.userErrors.map((e) => e.code)).toEqual(['INVOICE_CONFIRMED']);
    const again = await stack.gql<{ confirmInvoice: { userErrors: { code: string }[] } }>(CONFIRM, { id: inv.id }, { token });
    expect(again.body.data?.confirmInvoice.userErrors.map((e) => e.code)).toEqual(['INVOICE_CONFIRMED']);
  });

  it('refuses a confirmation on the 21st (00:00 JST), and holds too; nothing changes', async () => {
    const { member, inv, lines } = await world();
    const { token } = await login(member.id, 'UPDATE');
    stack.setClock(ON_THE_21ST);
    const c = await stack.gql<{ confirmInvoice: { invoice: null; userErrors: { code: string; field: string; messageJa: string }[] } }>(CONFIRM, { id: inv.id }, { token });
    expect(c.body.data?.confirmInvoice).toEqual({ invoice: null, userErrors: [{ code: 'CLOSING_DAY_PASSED', field: 'invoiceId', messageJa: '締め日（2026-05-20）を過ぎているため操作できません。' }] });
    const h = await stack.gql<{ saveInvoiceHolds: { userErrors: { code: string }[] } }>(SAVE, { i: { invoiceId: inv.id, hold: [{ lineId: lines[0]!.id, target: 'WHOLE_LINE', reason: 'x' }] } }, { token });
    expect(h.body.data?.saveInvoiceHolds.userErrors.map((e) => e.code)).toEqual(['CLOSING_DAY_PASSED']);
    expect(await stack.sql('select status from billing.invoice where id = $1', [inv.id])).toEqual([{ status: 'PUBLISHED' }]);
    expect(await stack.sql('select 1 from billing.invoice_hold where invoice_id = $1', [inv.id])).toEqual([]);
    expect(await stack.sql('select 1 from billing.mail_outbox where text like $1', [`%${inv.id}%`])).toEqual([]);
    const current = await stack.gql<{ invoice: { confirmable: boolean; closingDate: string } }>('query($id: ID!) { invoice(id: $id) { confirmable closingDate } }', { id: inv.id }, { token });
    expect(current.body.data?.invoice).toEqual({ confirmable: false, closingDate: '2026-05-20' });
  });

  it('refuses a hold without a reason and saves nothing of the request, valid holds included', async () => {
    const { member, inv, lines } = await world();
    const { token } = await login(member.id, 'UPDATE');
    stack.setClock(new Date('2026-05-18T03:00:00Z'));
    const r = await stack.gql<{ saveInvoiceHolds: { invoice: null; userErrors: { code: string; field: string; message: string; messageJa: string }[] } }>(SAVE, {
      i: { invoiceId: inv.id, hold: [{ lineId: lines[0]!.id, target: 'ANNUAL_FEE', reason: '理由あり' }, { lineId: lines[1]!.id, target: 'WHOLE_LINE', reason: ' \u3000 ' }], holdColumns: [{ category: 'MINOR_SERVICES_FEE', reason: '' }] },
    }, { token });
    expect(r.body.data?.saveInvoiceHolds.invoice).toBeNull();
    expect(r.body.data?.saveInvoiceHolds.userErrors).toEqual([
      { code: 'HOLD_REASON_REQUIRED', field: 'hold.1.reason', message: 'Enter the reason for the hold.', messageJa: '変更・保留理由を入力してください。' },
      { code: 'HOLD_REASON_REQUIRED', field: 'holdColumns.0.reason', message: 'Enter the reason for the hold.', messageJa: '変更・保留理由を入力してください。' },
    ]);
    expect(await stack.sql('select 1 from billing.invoice_hold where invoice_id = $1', [inv.id])).toEqual([]);
    expect(await stack.sql('select 1 from billing.audit_outbox where target_id = $1', [inv.id])).toEqual([]);
  });

  it('bulk-holds a column, changes a reason, releases, and refuses lines of another invoice', async () => {
    const { member, inv, lines } = await world();
    const other = await world();
    const { token } = await login(member.id, 'UPDATE');
    stack.setClock(new Date('2026-05-18T03:00:00Z'));
    type Save = { saveInvoiceHolds: { invoice: { heldAmount: number; heldLineCount: number; lines: { edges: { node: { id: string; holds: { target: string; reason: string }[] } }[] } }; userErrors: { code: string; field: string }[] } };
    const col = await stack.gql<Save>(SAVE, { i: { invoiceId: inv.id, holdColumns: [{ category: 'MINOR_SERVICES_FEE', reason: '少額短期保険は別途精算' }] } }, { token });
    expect(col.body.data?.saveInvoiceHolds.invoice).toMatchObject({ heldAmount: 3000, heldLineCount: 2 });
    const changed = await stack.gql<Save>(SAVE, { i: { invoiceId: inv.id, hold: [{ lineId: lines[2]!.id, target: 'MINOR_SERVICES_FEE', reason: '理由変更' }], release: [{ lineId: lines[3]!.id, target: 'MINOR_SERVICES_FEE' }] } }, { token });
    expect(changed.body.data?.saveInvoiceHolds.invoice).toMatchObject({ heldAmount: 1500, heldLineCount: 1 });
    expect(changed.body.data?.saveInvoiceHolds.invoice.lines.edges[0]?.node.holds).toEqual([{ target: 'MINOR_SERVICES_FEE', reason: '理由変更' }]);
    const foreign = await stack.gql<Save>(SAVE, { i: { invoiceId: inv.id, hold: [{ lineId: other.lines[0]!.id, target: 'WHOLE_LINE', reason: 'x' }, { lineId: 'nope', target: 'WHOLE_LINE', reason: 'x' }] } }, { token });
    expect(foreign.body.data?.saveInvoiceHolds.userErrors).toEqual([{ code: 'LINE_NOT_FOUND', field: 'hold.0.lineId', message: expect.any(String), messageJa: expect.any(String) }, { code: 'LINE_NOT_FOUND', field: 'hold.1.lineId', message: expect.any(String), messageJa: expect.any(String) }].map(({ code, field }) => expect.objectContaining({ code, field })));
    expect(await stack.sql('select 1 from billing.invoice_hold where invoice_id = $1', [other.inv.id])).toEqual([]);
  });
});

describe('permissions and isolation', () => {
  it('billing VIEW reads but every hold and confirm is FORBIDDEN, at the gateway and at the subgraph', async () => {
    const { member, inv, lines } = await world();
    const { account, token } = await login(member.id, 'VIEW');
    stack.setClock(new Date('2026-05-18T03:00:00Z'));
    const read = await stack.gql<{ invoice: { heldAmount: number; confirmable: boolean } }>('query($id: ID!) { invoice(id: $id) { heldAmount confirmable } }', { id: inv.id }, { token });
    expect(read.body.data?.invoice).toEqual({ heldAmount: 0, confirmable: true });
    const ops: [string, Record<string, unknown>][] = [
      [SAVE, { i: { invoiceId: inv.id, hold: [{ lineId: lines[0]!.id, target: 'WHOLE_LINE', reason: 'x' }] } }],
      [CONFIRM, { id: inv.id }],
    ];
    for (const [q, v] of ops) {
      const g = await stack.gql(q, v, { token });
      expect(codes(g.body.errors)).toEqual(['FORBIDDEN']);
      expect(g.body.data ?? null).toBeNull();
      const d = await stack.callSubgraph('billing', q, v, { accountId: account.id });
      expect(codes(d.body.errors)).toContain('FORBIDDEN');
    }
    expect(await stack.sql('select status from billing.invoice where id = $1', [inv.id])).toEqual([{ status: 'PUBLISHED' }]);
    expect(await stack.sql('select 1 from billing.invoice_hold where invoice_id = $1', [inv.id])).toEqual([]);
  });

  it('another member\'s invoice behaves like a missing one', async () => {
    const a = await world();
    const b = await world();
    const { token } = await login(a.member.id, 'UPDATE', true);
    stack.setClock(new Date('2026-05-18T03:00:00Z'));
    for (const id of [b.inv.id, randomUUID()]) {
      const s = await stack.gql<{ saveInvoiceHolds: { userErrors: { code: string }[] } }>(SAVE, { i: { invoiceId: id, hold: [{ lineId: b.lines[0]!.id, target: 'WHOLE_LINE', reason: 'x' }] } }, { token });
      expect(s.body.data?.saveInvoiceHolds.userErrors.map((e) => e.code)).toEqual(['INVOICE_NOT_FOUND']);
      const c = await stack.gql<{ confirmInvoice: { userErrors: { code: string }[] } }>(CONFIRM, { id }, { token });
      expect(c.body.data?.confirmInvoice.userErrors.map((e) => e.code)).toEqual(['INVOICE_NOT_FOUND']);
    }
    expect(await stack.sql('select status from billing.invoice where id = $1', [b.inv.id])).toEqual([{ status: 'PUBLISHED' }]);
  });
});
