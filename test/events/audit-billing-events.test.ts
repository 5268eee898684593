import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import type { SqlExecutor } from '@portal/platform';
import { AUDIT_EVENTS_QUEUE, ingestAuditEvent } from '../../subgraphs/tenancy/src/modules/audit/audit-ingest.ts';
import { AUDIT_ACTION_LABELS, EXTERNAL_AUDIT_ACTIONS } from '../../subgraphs/tenancy/src/modules/audit/audit-actions.ts';
// Billing's side of the contract: this test of both sides lives at the root (a subgraph's tests import no other subgraph).
import { BILLING_AUDIT_ACTIONS } from '../../subgraphs/billing/src/modules/audit/audit-outbox.ts';
import { AUDIT_RECORDED_EVENT, type AuditRecordedInput as AuditRecorded } from '@portal/events';
import { invoices } from '../../subgraphs/billing/test/seed.ts';

let stack: Stack;
const NOW = new Date('2026-05-18T03:00:00Z'); // 12:00 JST, before May's closing day (the 20th)
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(NOW);
});
afterAll(async () => {
  await stack?.stop();
});

const SEARCH = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 50) {
  totalCount edges { node { id at action actionLabel actorType accountId loginId clientIp requestId targetType targetId targetLabel details } } } }`;
const SAVE = 'mutation($i: SaveInvoiceHoldsInput!) { saveInvoiceHolds(input: $i) { userErrors { code field } } }';
interface Node { id: string; at: string; action: string; actionLabel: string; actorType: string; accountId: string | null; loginId: string | null; clientIp: string | null; requestId: string | null; targetType: string | null; targetId: string | null; targetLabel: string | null; details: string }
type Search = { auditEvents: { totalCount: number; edges: { node: Node }[] } };

const exec: SqlExecutor = { query: async (sql, params) => ({ rows: await stack.sql(sql, params) }) };

/** Logs in with the real clock (sessions are stamped by it) and puts the test clock back. */
async function login(loginId: string, password: string): Promise<string> {
  stack.setClock(null);
  try {
    return await stack.login(loginId, password);
  } finally {
    stack.setClock(NOW);
  }
}

async function memberWithInvoice() {
  const member = await stack.seed.member();
  const [room] = await stack.seed.rooms(member.id, 1);
  const inv = await invoices(stack, member).invoice({ billingMonth: '2026-05', issueDate: '2026-05-08', dueDate: '2026-05-29' }).lines([room!], { nextMonthUsageFee: 47550, annualFee: 19800 }).save();
  const [line] = await stack.sql<{ id: string }>('select id from billing.invoice_line where invoice_id = $1', [inv.id]);
  const admin = await stack.seed.account(member.id, { admin: true });
  return { member, inv, lineId: line!.id, adminToken: await login(admin.loginId, admin.password) };
}

/** Billing's relay job, then tenancy's consumer (as their workers would), until both are drained. */
async function relayAndConsume() {
  const jobs = stack.subgraphs.billing!.services.jobs!;
  await jobs.send('billing-audit-relay', {});
  expect((await jobs.runDue('billing-audit-relay')).failed).toEqual([]);
  await vi.waitFor(async () => {
    const [cursor] = await stack.sql<{ behind: number }>('select count(*)::int as behind from billing.audit_outbox where seq > (select last_seq from billing.audit_relay where id = 1)');
    expect(cursor?.behind).toBe(0);
    expect((await stack.subgraphs.tenancy!.services.events!.runDue(AUDIT_EVENTS_QUEUE)).failed).toEqual([]);
    const [open] = await stack.sql<{ n: number }>(`select count(*)::int as n from portal_events.job where name = $1 and state in ('created', 'retry', 'active')`, [AUDIT_EVENTS_QUEUE]);
    expect(open?.n).toBe(0);
  }, { timeout: 20_000, interval: 200 });
}

describe("billing's audit entries in the member's trail (audit.recorded → tenancy.audit_event)", () => {
  it("a clerk's hold with a reason reaches the member's trail through the bus; the admin sees it, another member's admin does not", async () => {
    const mine = await memberWithInvoice();
    const other = await memberWithInvoice();
    // Like demo-clerk: billing UPDATE and the other areas' working levels, no admin.
    const clerk = await stack.seed.account(mine.member.id, { billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' });
    const clerkToken = await login(clerk.loginId, clerk.password);

    const saved = await stack.gql<{ saveInvoiceHolds: { userErrors: unknown[] } }>(SAVE, { i: { invoiceId: mine.inv.id, hold: [{ lineId: mine.lineId, target: 'ANNUAL_FEE', reason: '更新済みのため二重請求' }] } }, { token: clerkToken });
    expect(saved.body.errors).toBeUndefined();
    expect(saved.body.data?.saveInvoiceHolds.userErrors).toEqual([]);
    // Not in the trail before the relay and the consumer ran.
    expect(await stack.sql("select 1 from tenancy.audit_event where member_id = $1 and action = 'INVOICE_HOLDS_SAVED'", [mine.member.id])).toEqual([]);

    await relayAndConsume();

    const r = await stack.gql<Search>(SEARCH, { filter: { actions: ['INVOICE_HOLDS_SAVED'] } }, { token: mine.adminToken });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.auditEvents.totalCount).toBe(1);
    const node = r.body.data!.auditEvents.edges[0]!.node;
    const [outbox] = await stack.sql<{ request_id: string; client_ip: string }>('select request_id, client_ip from billing.audit_outbox where member_id = $1', [mine.member.id]);
    expect(node).toMatchObject({
      at: NOW.toISOString(), action: 'INVOICE_HOLDS_SAVED', actionLabel: '請求明細 保留の保存', actorType: 'ACCOUNT', accountId: clerk.id, loginId: clerk.loginId,
      clientIp: '127.0.0.1', requestId: outbox!.request_id, targetType: 'Invoice', targetId: mine.inv.id, targetLabel: '2026-05',
    });
    expect(node.requestId).toEqual(expect.any(String));
    expect(node.details).toContain('更新済みのため二重請求');
    // Found by the clerk's account too, like tenancy's own entries.
    const byClerk = await stack.gql<Search>(SEARCH, { filter: { accountId: clerk.id } }, { token: mine.adminToken });
    expect(byClerk.body.data!.auditEvents.edges.map((e) => e.node.action)).toContain('INVOICE_HOLDS_SAVED');

    // Another member's administrator sees nothing of it, however they ask.
    for (const filter of [{ actions: ['INVOICE_HOLDS_SAVED'] }, { accountId: clerk.id }, {}]) {
      const o = await stack.gql<Search>(SEARCH, { filter }, { token: other.adminToken });
      expect(o.body.errors).toBeUndefined();
      expect(JSON.stringify(o.body.data!.auditEvents.edges)).not.toContain(mine.inv.id);
      expect(o.body.data!.auditEvents.edges.some((e) => e.node.action === 'INVOICE_HOLDS_SAVED')).toBe(false);
    }
    // The clerk (no admin) may not read the trail at all: refused at the gateway.
    const refused = await stack.gql<Search>(SEARCH, {}, { token: clerkToken });
    expect(refused.body.data?.auditEvents ?? null).toBeNull();
    expect(refused.body.errors?.length).toBeGreaterThan(0);
  }, 60_000);

  it('a republished event (same id) adds nothing: neither through the bus nor applied twice', async () => {
    const { member } = await memberWithInvoice();
    const clerk = await stack.seed.account(member.id, { billing: 'UPDATE' });
    const event = {
      source: 'billing', id: randomUUID(), version: 1, memberId: member.id, at: NOW.toISOString(), actorType: 'ACCOUNT', accountId: clerk.id,
      clientIp: '203.0.113.7', requestId: 'req-1', action: 'TIMESTAMP_RESERVED', targetType: 'TimestampReservation', targetId: randomUUID(), targetLabel: '2026-05 印刷No.1',
      details: { printNo: 1, token: 'never-stored' },
    } satisfies AuditRecorded;
    const bus = stack.subgraphs.billing!.services.events!;
    await bus.publish(AUDIT_RECORDED_EVENT, event);
    await bus.publish(AUDIT_RECORDED_EVENT, event);
    await vi.waitFor(async () => {
      expect((await stack.subgraphs.tenancy!.services.events!.runDue(AUDIT_EVENTS_QUEUE)).failed).toEqual([]);
      const [open] = await stack.sql<{ n: number }>(`select count(*)::int as n from portal_events.job where name = $1 and state in ('created', 'retry', 'active')`, [AUDIT_EVENTS_QUEUE]);
      expect(open?.n).toBe(0);
    }, { timeout: 20_000, interval: 200 });
    expect(await ingestAuditEvent(exec, event)).toBe(false);

    const rows = await stack.sql<{ source: string; source_id: string; login_id: string; client_ip: string; details: Record<string, unknown> }>(
      'select source, source_id, login_id, client_ip, details from tenancy.audit_event where member_id = $1', [member.id]);
    expect(rows.filter((r) => r.source === 'billing')).toEqual([{ source: 'billing', source_id: event.id, login_id: clerk.loginId, client_ip: '203.0.113.7', details: { printNo: 1 } }]);
  }, 60_000);

  it('refuses a payload that is malformed or carries an action the source may not record, and writes nothing', async () => {
    const { member } = await memberWithInvoice();
    const valid = {
      source: 'billing', id: randomUUID(), version: 7, memberId: member.id, at: NOW.toISOString(), actorType: 'OPERATOR', accountId: null,
      clientIp: null, requestId: null, action: 'INVOICES_IMPORTED', targetType: 'Invoice', targetId: randomUUID(), targetLabel: '2026-05', details: {},
    } satisfies AuditRecorded;
    await expect(ingestAuditEvent(exec, { ...valid, action: 'LOGIN_SUCCEEDED' })).rejects.toThrow(/action/);
    await expect(ingestAuditEvent(exec, { ...valid, action: 'NOT_AN_ACTION' })).rejects.toThrow(/action/);
    await expect(ingestAuditEvent(exec, { ...valid, source: 'smartlock' })).rejects.toThrow();
    await expect(ingestAuditEvent(exec, { ...valid, memberId: 'not-a-uuid' })).rejects.toThrow();
    await expect(ingestAuditEvent(exec, { ...valid, at: 'yesterday' })).rejects.toThrow();
    const { details: _details, ...noDetails } = valid;
    await expect(ingestAuditEvent(exec, noDetails)).rejects.toThrow();
    expect(await stack.sql('select 1 from tenancy.audit_event where member_id = $1 and source is not null', [member.id])).toEqual([]);
    // The valid one goes in, with the operator as actor and no account.
    expect(await ingestAuditEvent(exec, valid)).toBe(true);
    expect(await stack.sql('select actor_type, account_id, action from tenancy.audit_event where source_id = $1', [valid.id])).toEqual([{ actor_type: 'OPERATOR', account_id: null, action: 'INVOICES_IMPORTED' }]);
  });
});

describe("billing's actions", () => {
  it('are all accepted from billing, with the labels billing gives them', () => {
    expect([...EXTERNAL_AUDIT_ACTIONS.billing].sort()).toEqual(Object.keys(BILLING_AUDIT_ACTIONS).sort());
    for (const [action, label] of Object.entries(BILLING_AUDIT_ACTIONS)) expect(AUDIT_ACTION_LABELS[action as keyof typeof AUDIT_ACTION_LABELS]).toEqual(label);
  });
});
