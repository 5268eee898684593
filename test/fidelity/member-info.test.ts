/**
 * Issue 11 items 4 and 12, across tenancy and billing through the gateway: what 法人会員情報変更
 * sets reaches billing's refund statement, and the names of who reserved, held and confirmed reach
 * billing's answers — both as tenancy's events (member.updated, account.upserted) through the
 * outbox, the relay and the bus into billing's read models; billing never reads tenancy's tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MEMBER_EVENTS } from '@portal/events';
import { startStack, type Stack } from '@portal/testing';
import { ROOM_EVENT_RELAY_QUEUE } from '@portal/tenancy';
import { invoices } from '../../subgraphs/billing/test/seed.ts';

let stack: Stack;
// 2027-09: refund on Monday the 27th, published Wednesday the 22nd (00:00 JST).
const REFUND_DAY = new Date('2027-09-21T15:00:00Z');
// 2026/05/18 14:00 JST: the May invoice is open (closing day the 20th).
const INVOICE_DAY = new Date('2026-05-18T05:00:42Z');
const MEMBER_EVENTS_QUEUE = 'billing.member-events';

beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
});
afterAll(async () => {
  await stack?.stop();
});

/** Relays tenancy's outbox and applies billing's queue until `ready` holds (the workers may take part too). */
async function untilBillingKnows(ready: () => Promise<boolean>): Promise<void> {
  const tenancyJobs = stack.subgraphs.tenancy!.services.jobs!;
  const billingBus = stack.subgraphs.billing!.services.events!;
  for (let i = 0; i < 100; i++) {
    await tenancyJobs.send(ROOM_EVENT_RELAY_QUEUE, {});
    await tenancyJobs.runDue(ROOM_EVENT_RELAY_QUEUE);
    expect((await billingBus.runDue(MEMBER_EVENTS_QUEUE)).failed).toEqual([]);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('billing never received the event');
}

async function loginAt(clock: Date, loginId: string, password: string): Promise<string> {
  stack.setClock(null);
  try {
    return await stack.login(loginId, password);
  } finally {
    stack.setClock(clock);
  }
}

const UPDATE = 'mutation($input: UpdateMemberInfoInput!) { updateMemberInfo(input: $input) { userErrors { code field } } }';
const FORM = { postalCode: '163-8001', city: '東京都新宿区', street: '西新宿２－８－１', building: '都庁７Ｆ', department: '経理部', contactName: 'レオパ太郎', contactKana: 'ﾚｵﾊﾟ ﾀﾛｳ', phone: '03-3000-0000', fax: null };
const PRINT = 'mutation($id: ID!) { printRefundStatement(input: { refundId: $id }) { url userErrors { code } } }';

async function statementText(refundId: string, token: string): Promise<string> {
  const p = await stack.gql<{ printRefundStatement: { url: string } }>(PRINT, { id: refundId }, { token });
  expect(p.body.data?.printRefundStatement.url).toBeTruthy();
  const pdf = Buffer.from(await (await fetch(new URL(p.body.data!.printRefundStatement.url, stack.gatewayUrl))).arrayBuffer());
  const dir = mkdtempSync(path.join(tmpdir(), 'refund-addressee-'));
  writeFileSync(path.join(dir, 'r.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
}

describe('the refund statement shows the member information as last changed (item 4; M:1822, M:1855, FAQ M:2584–2587)', () => {
  it('a statement generated after updateMemberInfo shows the new contact and address; after another change, the newer one', async () => {
    stack.setClock(REFUND_DAY);
    const member = await stack.seed.member({ name: '株式会社サンプル' });
    const admin = await stack.seed.account(member.id, { admin: true });
    const token = await loginAt(REFUND_DAY, admin.loginId, admin.password);
    const [room] = await stack.seed.rooms(member.id, 1);
    const refundId = randomUUID();
    // The import's snapshot of the name: what the statement showed before billing knew the member information.
    await stack.sql(`insert into billing.refund (id, member_id, refund_month, refund_date, publish_date, amount, recipient_name) values ($1, $2, '2027-09', '2027-09-27', '2027-09-22', 5005, '株式会社サンプル')`, [refundId, member.id]);
    await stack.sql(
      `insert into billing.refund_line (id, member_id, refund_id, room_id, ap_no, property_name, room_number, member_number, amount, method)
       select gen_random_uuid(), $1, $2, r.id, p.ap_no, p.name, r.room_number, $3, 5005, 'INDIVIDUAL' from tenancy.room r join tenancy.property p on p.id = r.property_id where r.id = $4`,
      [member.id, refundId, member.memberNumber, room!.id],
    );

    const first = await stack.gql<{ updateMemberInfo: { userErrors: unknown[] } }>(UPDATE, { input: FORM }, { token });
    expect(first.body.data?.updateMemberInfo.userErrors).toEqual([]);
    const known = (contact: string) => async () => (await stack.sql('select 1 from billing.member_ref where member_id = $1 and addressee_contact_name = $2', [member.id, contact])).length === 1;
    await untilBillingKnows(known('レオパ太郎'));
    const before = await statementText(refundId, token);
    expect(before).toContain('〒163-8001');
    expect(before).toContain('東京都新宿区西新宿２－８－１');
    expect(before).toContain('経理部');
    expect(before).toMatch(/レオパ太郎\s+様/);

    // Another change: the contact is now an organisation (御中), the mailing address another.
    const second = await stack.gql<{ updateMemberInfo: { userErrors: unknown[] } }>(UPDATE, { input: { ...FORM, postalCode: '530-0001', city: '大阪府大阪市北区', street: '梅田１－１', building: null, contactName: '総務課', contactKana: null, addresseeKind: 'ORGANISATION' } }, { token });
    expect(second.body.data?.updateMemberInfo.userErrors).toEqual([]);
    await untilBillingKnows(known('総務課'));
    const after = await statementText(refundId, token);
    expect(after).toContain('〒530-0001');
    expect(after).toContain('大阪府大阪市北区梅田１－１');
    expect(after).toMatch(/総務課\s+御中/);
    expect(after).not.toContain('レオパ太郎');
    expect(after).not.toContain('〒163-8001');
  });

  it('billing keeps the newest: a redelivered older member.updated changes nothing', async () => {
    const member = await stack.seed.member();
    const admin = await stack.seed.account(member.id, { admin: true });
    const token = await loginAt(REFUND_DAY, admin.loginId, admin.password);
    await stack.gql(UPDATE, { input: FORM }, { token });
    await stack.gql(UPDATE, { input: { ...FORM, contactName: 'レオパ次郎' } }, { token });
    const known = async () => (await stack.sql('select 1 from billing.member_ref where member_id = $1 and addressee_contact_name = $2', [member.id, 'レオパ次郎'])).length === 1;
    await untilBillingKnows(known);
    const [older] = await stack.sql<{ seq: string; payload: object }>(`select seq, payload from tenancy.event_outbox where event = $2 and payload->>'memberId' = $1 order by seq limit 1`, [member.id, MEMBER_EVENTS.updated]);
    await stack.subgraphs.billing!.services.events!.publish(MEMBER_EVENTS.updated, { ...older!.payload, version: Number(older!.seq) });
    expect((await stack.subgraphs.billing!.services.events!.runDue(MEMBER_EVENTS_QUEUE)).failed).toEqual([]);
    expect(await known()).toBe(true);
  });
});

describe('who did it: names, not account ids (item 12; M:237–240)', () => {
  const PERMS = { billing: 'UPDATE', cancellation: 'NONE', residents: 'NONE', smartlock: 'NONE', fireInsurance: 'NONE', admin: false };
  const CREATE = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { code field } } }';
  const RENAME = 'mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { userErrors { code field } } }';
  const READ = `query($id: ID!) { invoice(id: $id) { confirmedByAccountId confirmedByName
    lines { edges { node { holds { heldByAccountId heldByName } } } }
    timestampReservations { requestedByAccountId requestedByName cancelledByName } } }`;
  type Read = { invoice: { confirmedByAccountId: string; confirmedByName: string | null; lines: { edges: { node: { holds: { heldByAccountId: string; heldByName: string | null }[] } }[] }; timestampReservations: { requestedByAccountId: string; requestedByName: string | null; cancelledByName: string | null }[] } };

  it('a viewer sees the requester, holder and confirmer by the name in 担当者情報変更', async () => {
    stack.setClock(INVOICE_DAY);
    const member = await stack.seed.member();
    const admin = await stack.seed.account(member.id, { admin: true });
    const adminToken = await loginAt(INVOICE_DAY, admin.loginId, admin.password);
    const created = await stack.gql<{ createAccount: { account: { id: string } | null; userErrors: unknown[] } }>(CREATE, {
      input: { loginId: `clerk-${randomUUID().slice(0, 8)}`, name: '管理 太郎', email: 'clerk@example.co.jp', permissions: PERMS, initialPassword: 'Tokyo-Clerk-2026-x' },
    }, { token: adminToken });
    expect(created.body.data?.createAccount.userErrors).toEqual([]);
    const clerkId = created.body.data!.createAccount.account!.id;
    const [clerkRow] = await stack.sql<{ login_id: string }>('select login_id from tenancy.account where id = $1', [clerkId]);
    const clerk = await loginAt(INVOICE_DAY, clerkRow!.login_id, 'Tokyo-Clerk-2026-x');
    const viewerAccount = await stack.seed.account(member.id, { billing: 'VIEW' });
    const viewer = await loginAt(INVOICE_DAY, viewerAccount.loginId, viewerAccount.password);

    const rooms = await stack.seed.rooms(member.id, 2);
    const inv = await invoices(stack, member).invoice({ billingMonth: '2026-05', issueDate: '2026-05-08' }).lines(rooms, { nextMonthUsageFee: 50000 }).save();
    const [line] = await stack.sql<{ id: string }>('select id from billing.invoice_line where invoice_id = $1 order by room_number limit 1', [inv.id]);
    const reserved = await stack.gql<{ reserveTimestamp: { userErrors: unknown[] } }>(
      'mutation($i: ReserveTimestampInput!) { reserveTimestamp(input: $i) { userErrors { code field } } }',
      { i: { invoiceId: inv.id, selection: { items: [{ lineId: line!.id, category: 'NEXT_MONTH_USAGE_FEE' }] }, expectedItemCount: 1, expectedTotalAmount: 50000 } }, { token: clerk });
    expect(reserved.body.data?.reserveTimestamp.userErrors).toEqual([]);
    const held = await stack.gql<{ saveInvoiceHolds: { userErrors: unknown[] } }>(
      'mutation($i: SaveInvoiceHoldsInput!) { saveInvoiceHolds(input: $i) { userErrors { code field } } }',
      { i: { invoiceId: inv.id, hold: [{ lineId: line!.id, target: 'WHOLE_LINE', reason: '退去確認中' }] } }, { token: clerk });
    expect(held.body.data?.saveInvoiceHolds.userErrors).toEqual([]);
    const confirmed = await stack.gql<{ confirmInvoice: { userErrors: unknown[] } }>('mutation($id: ID!) { confirmInvoice(input: { invoiceId: $id }) { userErrors { code } } }', { id: inv.id }, { token: clerk });
    expect(confirmed.body.data?.confirmInvoice.userErrors).toEqual([]);

    await untilBillingKnows(async () => (await stack.sql('select 1 from billing.account_ref where account_id = $1', [clerkId])).length === 1);
    const read = await stack.gql<Read>(READ, { id: inv.id }, { token: viewer });
    expect(read.body.errors).toBeUndefined();
    const invoice = read.body.data!.invoice;
    expect(invoice).toMatchObject({ confirmedByAccountId: clerkId, confirmedByName: '管理 太郎' });
    expect(invoice.timestampReservations).toEqual([{ requestedByAccountId: clerkId, requestedByName: '管理 太郎', cancelledByName: null }]);
    expect(invoice.lines.edges.flatMap((e) => e.node.holds)).toEqual([{ heldByAccountId: clerkId, heldByName: '管理 太郎' }]);

    // A rename in 担当者情報変更 is the same person under the name the member now uses for them.
    const renamed = await stack.gql<{ updateAccount: { userErrors: unknown[] } }>(RENAME, { input: { id: clerkId, name: '管理 花子' } }, { token: adminToken });
    expect(renamed.body.data?.updateAccount.userErrors).toEqual([]);
    await untilBillingKnows(async () => (await stack.sql("select 1 from billing.account_ref where account_id = $1 and name = '管理 花子'", [clerkId])).length === 1);
    const reread = await stack.gql<Read>(READ, { id: inv.id }, { token: viewer });
    expect(reread.body.data?.invoice.timestampReservations[0]?.requestedByName).toBe('管理 花子');
  });
});
