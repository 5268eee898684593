import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '@portal/testing';
import { invoices } from './seed.ts';

let stack: Stack;
const NOW = new Date('2026-05-18T05:00:42Z'); // 2026/05/18 14:00:42 JST
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(NOW);
});
afterAll(async () => {
  await stack?.stop();
});

async function login(memberId: string, options: { admin?: boolean; billing?: 'VIEW' | 'UPDATE' } = {}) {
  const account = await stack.seed.account(memberId, { billing: options.billing ?? 'UPDATE', admin: options.admin ?? false });
  stack.setClock(null);
  try {
    return { account, token: await stack.login(account.loginId, account.password) };
  } finally {
    stack.setClock(NOW);
  }
}

async function world() {
  const member = await stack.seed.member();
  const rooms = await stack.seed.rooms(member.id, 3);
  const inv = await invoices(stack, member)
    .invoice({ billingMonth: '2026-05', issueDate: '2026-05-08', recipientName: '株式会社サンプル商事' })
    .lines([rooms[0]!], { nextMonthUsageFee: 56550 })
    .lines([rooms[1]!], { nextMonthUsageFee: 43550, annualFee: 19800 })
    .lines([rooms[2]!], { exitSettlement: 41800 })
    .save();
  const lines = await stack.sql<{ id: string }>('select id from billing.invoice_line where invoice_id = $1 order by room_number', [inv.id]);
  return { member, inv, lines };
}

const PREVIEW = 'query($id: ID!, $s: TimestampSelectionInput!) { timestampSelection(invoiceId: $id, selection: $s) { itemCount totalAmount items { category amount selectable } userErrors { code field } } }';
const RESERVE = `mutation($i: ReserveTimestampInput!) { reserveTimestamp(input: $i) { reservation { id printNo status requestedByAccountId requestedAt cancellable itemCount totalAmount items { category amount } } userErrors { code field } } }`;
const CANCEL = 'mutation($id: ID!) { cancelTimestampReservation(input: { reservationId: $id }) { reservation { id status } userErrors { code field } } }';
const DOWNLOAD = 'mutation($id: ID!, $p: TimestampedPart!) { downloadTimestampedInvoice(input: { reservationId: $id, part: $p }) { url filename printCount userErrors { code } } }';
type Reserve = { reserveTimestamp: { reservation: { id: string; printNo: number; status: string; requestedByAccountId: string; requestedAt: string; cancellable: boolean; itemCount: number; totalAmount: number } | null; userErrors: { code: string; field: string }[] } };

async function runNightly() {
  const jobs = stack.subgraphs.billing!.services.jobs!;
  await jobs.send('billing-timestamp-nightly', {});
  return jobs.runDue('billing-timestamp-nightly');
}

describe('time-stamp reservations (タイムスタンプ付与)', () => {
  it('needs billing UPDATE: a VIEW account may preview but is refused reserving and cancelling (参照: ご請求内容の参照のみ)', async () => {
    const { member, inv, lines } = await world();
    const viewer = await login(member.id, { billing: 'VIEW' });
    const updater = await login(member.id, { billing: 'UPDATE' });
    const input = { invoiceId: inv.id, selection: { items: [{ lineId: lines[0]!.id, category: 'NEXT_MONTH_USAGE_FEE' }] }, expectedItemCount: 1, expectedTotalAmount: 56550 };
    const preview = await stack.gql<{ timestampSelection: { itemCount: number } }>(PREVIEW, { id: inv.id, s: { all: true } }, { token: viewer.token });
    expect(preview.body.data?.timestampSelection.itemCount).toBe(3);
    const refused = await stack.gql<Reserve>(RESERVE, { i: input }, { token: viewer.token });
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await stack.sql('select 1 from billing.timestamp_reservation where invoice_id = $1', [inv.id])).toEqual([]);
    const reserved = await stack.gql<Reserve>(RESERVE, { i: input }, { token: updater.token });
    expect(reserved.body.data?.reserveTimestamp.userErrors).toEqual([]);
    const id = reserved.body.data!.reserveTimestamp.reservation!.id;
    const cancelRefused = await stack.gql(CANCEL, { id }, { token: viewer.token });
    expect(cancelRefused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await stack.sql<{ status: string }>('select status from billing.timestamp_reservation where id = $1', [id])).toEqual([{ status: 'RESERVED' }]);
  });

  it('refuses a selection including an exit-settlement line, one by one; all and filter skip it', async () => {
    const { member, inv, lines } = await world();
    const { token } = await login(member.id);
    const r = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: inv.id, selection: { items: [{ lineId: lines[0]!.id, category: 'NEXT_MONTH_USAGE_FEE' }, { lineId: lines[2]!.id, category: 'EXIT_SETTLEMENT' }] }, expectedItemCount: 2, expectedTotalAmount: 98350 } }, { token });
    expect(r.body.data?.reserveTimestamp).toEqual({ reservation: null, userErrors: [{ code: 'EXIT_SETTLEMENT_NOT_SELECTABLE', field: 'selection.items.1' }] });
    expect(await stack.sql('select 1 from billing.timestamp_reservation where invoice_id = $1', [inv.id])).toEqual([]);

    const all = await stack.gql<{ timestampSelection: { itemCount: number; totalAmount: number; items: { category: string }[] } }>(PREVIEW, { id: inv.id, s: { all: true } }, { token });
    expect(all.body.data?.timestampSelection).toMatchObject({ itemCount: 3, totalAmount: 56550 + 43550 + 19800 });
    expect(all.body.data?.timestampSelection.items.map((i) => i.category)).not.toContain('EXIT_SETTLEMENT');
    const filtered = await stack.gql<{ timestampSelection: { itemCount: number; totalAmount: number } }>(PREVIEW, { id: inv.id, s: { filter: { category: 'ANNUAL_FEE' } } }, { token });
    expect(filtered.body.data?.timestampSelection).toMatchObject({ itemCount: 2, totalAmount: 43550 + 19800 });
    const both = await stack.gql<{ timestampSelection: { userErrors: { code: string }[] } }>(PREVIEW, { id: inv.id, s: { all: true, filter: {} } }, { token });
    expect(both.body.data?.timestampSelection.userErrors.map((e) => e.code)).toEqual(['SELECTION_INVALID']);
    const listed = await stack.gql<{ invoice: { qualifiedInvoiceItems: { label: string; selectable: boolean }[] } }>('query($id: ID!) { invoice(id: $id) { qualifiedInvoiceItems { label selectable } } }', { id: inv.id }, { token });
    expect(listed.body.data?.invoice.qualifiedInvoiceItems).toEqual([
      { label: '部屋利用料', selectable: true }, { label: '部屋利用料', selectable: true }, { label: '更新費用', selectable: true }, { label: '解約清算金', selectable: false },
    ]);
  });

  it('reserves with a print number, requester and time (予約中); the requester cancels; another account cannot; an administrator can', async () => {
    const { member, inv, lines } = await world();
    const requester = await login(member.id);
    const colleague = await login(member.id);
    const admin = await login(member.id, { admin: true });
    const sel = { items: [{ lineId: lines[0]!.id, category: 'NEXT_MONTH_USAGE_FEE' }, { lineId: lines[1]!.id, category: 'NEXT_MONTH_USAGE_FEE' }] };
    const changed = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: inv.id, selection: sel, expectedItemCount: 2, expectedTotalAmount: 1 } }, { token: requester.token });
    expect(changed.body.data?.reserveTimestamp.userErrors.map((e) => e.code)).toEqual(['SELECTION_CHANGED']);
    const first = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: inv.id, selection: sel, expectedItemCount: 2, expectedTotalAmount: 100100 } }, { token: requester.token });
    expect(first.body.data?.reserveTimestamp.reservation).toMatchObject({ printNo: 1, status: 'RESERVED', requestedByAccountId: requester.account.id, requestedAt: NOW.toISOString(), cancellable: true, itemCount: 2, totalAmount: 100100 });
    const id = first.body.data!.reserveTimestamp.reservation!.id;
    const twice = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: inv.id, selection: { items: [sel.items[0]] }, expectedItemCount: 1, expectedTotalAmount: 56550 } }, { token: requester.token });
    expect(twice.body.data?.reserveTimestamp.userErrors).toEqual([{ code: 'ALREADY_RESERVED', field: 'selection.items.0' }]);

    const notMine = await stack.gql<{ cancelTimestampReservation: { userErrors: { code: string }[] } }>(CANCEL, { id }, { token: colleague.token });
    expect(notMine.body.data?.cancelTimestampReservation.userErrors.map((e) => e.code)).toEqual(['NOT_REQUESTER']);
    const mine = await stack.gql<{ cancelTimestampReservation: { reservation: { status: string } } }>(CANCEL, { id }, { token: requester.token });
    expect(mine.body.data?.cancelTimestampReservation.reservation.status).toBe('CANCELLED');
    // Cancelled items are selectable again; the print number moves on.
    const second = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: inv.id, selection: sel, expectedItemCount: 2, expectedTotalAmount: 100100 } }, { token: colleague.token });
    expect(second.body.data?.reserveTimestamp.reservation).toMatchObject({ printNo: 2, status: 'RESERVED' });
    const byAdmin = await stack.gql<{ cancelTimestampReservation: { reservation: { status: string } } }>(CANCEL, { id: second.body.data!.reserveTimestamp.reservation!.id }, { token: admin.token });
    expect(byAdmin.body.data?.cancelTimestampReservation.reservation.status).toBe('CANCELLED');
    const audit = await stack.sql<{ action: string }>('select action from billing.audit_outbox where member_id = $1 order by seq', [member.id]);
    expect(audit.map((a) => a.action)).toEqual(['TIMESTAMP_RESERVED', 'TIMESTAMP_CANCELLED', 'TIMESTAMP_RESERVED', 'TIMESTAMP_CANCELLED']);
  });

  it('the nightly job stamps it (完了): no cancel, download of PDF and token, and the token verifies with openssl ts -verify', async () => {
    const { member, inv } = await world();
    const { token } = await login(member.id);
    const reserved = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: inv.id, selection: { all: true }, expectedItemCount: 3, expectedTotalAmount: 119900 } }, { token });
    const id = reserved.body.data!.reserveTimestamp.reservation!.id;
    const early = await stack.gql<{ downloadTimestampedInvoice: { userErrors: { code: string }[] } }>(DOWNLOAD, { id, p: 'DOCUMENT' }, { token });
    expect(early.body.data?.downloadTimestampedInvoice.userErrors.map((e) => e.code)).toEqual(['NOT_STAMPED_YET']);

    const run = await runNightly();
    expect(run.failed).toEqual([]);
    const after = await stack.gql<{ timestampReservation: { status: string; stampedAt: string; genTime: string; documentSha256: string; cancellable: boolean } }>('query($id: ID!) { timestampReservation(id: $id) { status stampedAt genTime documentSha256 cancellable } }', { id }, { token });
    expect(after.body.data?.timestampReservation).toMatchObject({ status: 'COMPLETED', stampedAt: NOW.toISOString(), cancellable: false });
    const cancel = await stack.gql<{ cancelTimestampReservation: { userErrors: { code: string }[] } }>(CANCEL, { id }, { token });
    expect(cancel.body.data?.cancelTimestampReservation.userErrors.map((e) => e.code)).toEqual(['NOT_CANCELLABLE']);

    type Dl = { downloadTimestampedInvoice: { url: string; filename: string; printCount: number | null } };
    const doc = await stack.gql<Dl>(DOWNLOAD, { id, p: 'DOCUMENT' }, { token });
    const tsr = await stack.gql<Dl>(DOWNLOAD, { id, p: 'TOKEN' }, { token });
    expect(doc.body.data?.downloadTimestampedInvoice).toMatchObject({ filename: '適格請求書_2026-05_印刷No1.pdf', printCount: 1 });
    expect(tsr.body.data?.downloadTimestampedInvoice).toMatchObject({ filename: '適格請求書_2026-05_印刷No1.pdf.tsr', printCount: null });
    const pdf = Buffer.from(await (await fetch(new URL(doc.body.data!.downloadTimestampedInvoice.url, stack.gatewayUrl))).arrayBuffer());
    const tok = Buffer.from(await (await fetch(new URL(tsr.body.data!.downloadTimestampedInvoice.url, stack.gatewayUrl))).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const dir = mkdtempSync(path.join(tmpdir(), 'billing-ts-'));
    writeFileSync(path.join(dir, 'doc.pdf'), pdf);
    writeFileSync(path.join(dir, 'doc.pdf.tsr'), tok);
    const caFile = path.join(stack.subgraphs.billing!.services.dataDir, 'tsa', 'pki', 'ca.pem');
    const out = execFileSync('openssl', ['ts', '-verify', '-data', path.join(dir, 'doc.pdf'), '-in', path.join(dir, 'doc.pdf.tsr'), '-token_in', '-CAfile', caFile], { encoding: 'utf8' });
    expect(out).toContain('Verification: OK');
    const tampered = Buffer.from(pdf);
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 1;
    writeFileSync(path.join(dir, 'bad.pdf'), tampered);
    expect(() => execFileSync('openssl', ['ts', '-verify', '-data', path.join(dir, 'bad.pdf'), '-in', path.join(dir, 'doc.pdf.tsr'), '-token_in', '-CAfile', caFile], { stdio: 'pipe' })).toThrow();

    const V = 'mutation($d: String!, $t: String!) { verifyTimestamp(input: { documentBase64: $d, tokenBase64: $t }) { valid genTime reason } }';
    const ok = await stack.gql<{ verifyTimestamp: { valid: boolean; genTime: string } }>(V, { d: pdf.toString('base64'), t: tok.toString('base64') }, { token });
    expect(ok.body.data?.verifyTimestamp).toMatchObject({ valid: true, genTime: after.body.data?.timestampReservation.genTime });
    const bad = await stack.gql<{ verifyTimestamp: { valid: boolean; reason: string } }>(V, { d: tampered.toString('base64'), t: tok.toString('base64') }, { token });
    expect(bad.body.data?.verifyTimestamp.valid).toBe(false);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('T7123456789012');
    expect(text).not.toContain('解約清算金');
  });

  it('is scheduled nightly at 02:00 Japan time, with the audit relay every minute', async () => {
    const rows = await stack.sql<{ name: string; cron: string; timezone: string }>("select name, cron, timezone from billing_jobs.schedule where name like 'billing-%' order by name");
    expect(rows).toEqual(expect.arrayContaining([
      { name: 'billing-timestamp-nightly', cron: '0 2 * * *', timezone: 'Asia/Tokyo' },
      { name: 'billing-audit-relay', cron: '* * * * *', timezone: 'Asia/Tokyo' },
    ]));
    const [next] = stack.subgraphs.billing!.services.jobs!.previewSchedule('0 2 * * *', 1, NOW);
    expect(next?.toISOString()).toBe('2026-05-18T17:00:00.000Z'); // 02:00 JST on May 19
  });

  it('another member\'s reservation behaves like a missing one', async () => {
    const a = await world();
    const b = await world();
    const ta = await login(a.member.id, { admin: true });
    const tb = await login(b.member.id);
    const r = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: b.inv.id, selection: { all: true }, expectedItemCount: 3, expectedTotalAmount: 119900 } }, { token: tb.token });
    const id = r.body.data!.reserveTimestamp.reservation!.id;
    expect((await stack.gql<{ timestampReservation: null }>('query($id: ID!) { timestampReservation(id: $id) { id } }', { id }, { token: ta.token })).body.data?.timestampReservation).toBeNull();
    const c = await stack.gql<{ cancelTimestampReservation: { userErrors: { code: string }[] } }>(CANCEL, { id }, { token: ta.token });
    expect(c.body.data?.cancelTimestampReservation.userErrors.map((e) => e.code)).toEqual(['RESERVATION_NOT_FOUND']);
    const x = await stack.gql<Reserve>(RESERVE, { i: { invoiceId: b.inv.id, selection: { all: true }, expectedItemCount: 0, expectedTotalAmount: 0 } }, { token: ta.token });
    expect(x.body.data?.reserveTimestamp.userErrors.map((e) => e.code)).toEqual(['INVOICE_NOT_FOUND']);
  });
});
