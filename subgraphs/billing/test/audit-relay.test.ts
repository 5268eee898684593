import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RECORDED_EVENT } from '@portal/events';
import { startStack, type Stack } from '@portal/testing';
import { invoices } from './seed.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(new Date('2026-05-18T03:00:00Z'));
});
afterAll(async () => {
  await stack?.stop();
});

describe('billing audit entries reach the event bus for the member\'s trail', () => {
  it('relays every entry once, in order, with the actor and target, and never twice', async () => {
    const bus = stack.subgraphs.billing!.services.events!;
    const received: { id: string; version: number; action: string; memberId: string; accountId: string; targetId: string }[] = [];
    await bus.subscribe<(typeof received)[number]>(AUDIT_RECORDED_EVENT, 'test.billing-audit', async (e) => {
      received.push(e.data);
    }, { work: false });

    const member = await stack.seed.member();
    const [room] = await stack.seed.rooms(member.id, 1);
    const inv = await invoices(stack, member).invoice({ billingMonth: '2026-05', issueDate: '2026-05-08' }).lines([room!], { nextMonthUsageFee: 1000, annualFee: 500 }).save();
    const clerk = await stack.seed.account(member.id, { billing: 'UPDATE' });
    const [line] = await stack.sql<{ id: string }>('select id from billing.invoice_line where invoice_id = $1', [inv.id]);
    await stack.callSubgraph('billing', 'mutation($i: SaveInvoiceHoldsInput!) { saveInvoiceHolds(input: $i) { userErrors { code } } }', { i: { invoiceId: inv.id, hold: [{ lineId: line!.id, target: 'ANNUAL_FEE', reason: '確認中' }] } }, { accountId: clerk.id });
    await stack.callSubgraph('billing', 'mutation($id: ID!) { confirmInvoice(input: { invoiceId: $id }) { userErrors { code } } }', { id: inv.id }, { accountId: clerk.id });

    const jobs = stack.subgraphs.billing!.services.jobs!;
    for (let i = 0; i < 2; i++) {
      await jobs.send('billing-audit-relay', {});
      expect((await jobs.runDue('billing-audit-relay')).failed).toEqual([]);
    }
    await bus.runDue('test.billing-audit');
    const mine = received.filter((e) => e.memberId === member.id);
    expect(mine.map((e) => e.action)).toEqual(['INVOICE_HOLDS_SAVED', 'INVOICE_CONFIRMED']);
    expect(mine.every((e) => e.accountId === clerk.id && e.targetId === inv.id)).toBe(true);
    expect(mine[0]!.version).toBeLessThan(mine[1]!.version);
    const outbox = await stack.sql<{ id: string }>('select id from billing.audit_outbox where member_id = $1 order by seq', [member.id]);
    expect(mine.map((e) => e.id)).toEqual(outbox.map((o) => o.id));
    await expect(stack.sql('update billing.audit_outbox set action = $1 where member_id = $2', ['X', member.id])).rejects.toThrow(/append-only/);
  });
});
