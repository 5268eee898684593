import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISSUER } from '@portal/documents';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '@portal/testing';
import { invoices } from './seed.ts';

let stack: Stack;
// 2027-09: refund on Monday the 27th (the 25th is a Saturday), published Wednesday the 22nd (Sep 23 is a holiday).
const BEFORE = new Date('2027-09-21T14:59:59Z'); // 23:59:59 JST on the 21st
const ON = new Date('2027-09-21T15:00:00Z'); // 00:00 JST on the 22nd
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(ON);
});
afterAll(async () => {
  await stack?.stop();
});

async function login(memberId: string, billing: 'VIEW' | 'UPDATE') {
  const account = await stack.seed.account(memberId, { billing });
  stack.setClock(null);
  try {
    return { account, token: await stack.login(account.loginId, account.password) };
  } finally {
    stack.setClock(ON);
  }
}

async function world() {
  const member = await stack.seed.member();
  const rooms = await stack.seed.rooms(member.id, 2);
  const refundId = randomUUID();
  await stack.sql(`insert into billing.refund (id, member_id, refund_month, refund_date, publish_date, amount, recipient_name) values ($1, $2, '2027-09', '2027-09-27', '2027-09-22', 9658, '株式会社サンプル商事')`, [refundId, member.id]);
  await stack.sql(
    `insert into billing.refund_line (id, member_id, refund_id, room_id, ap_no, property_name, room_number, member_number, amount, method)
     select gen_random_uuid(), $1, $2, r.id, p.ap_no, p.name, r.room_number, $3, case when r.room_number = '101' then 5005 else 4653 end, 'INDIVIDUAL'
       from tenancy.room r join tenancy.property p on p.id = r.property_id where r.id = any($4::uuid[])`,
    [member.id, refundId, member.memberNumber, rooms.map((r) => r.id)],
  );
  await invoices(stack, member).invoice({ billingMonth: '2027-09', issueDate: '2027-09-03' }).lines(rooms).save();
  return { member, rooms, refundId };
}

const SAVE = 'mutation($i: SaveRefundAccountInput!) { saveRefundAccount(input: $i) { account { roomId bankCode bankName branchCode branchName accountType accountNumberMasked holderKana holderName } userErrors { code field } } }';
const valid = { bankCode: '0001', branchCode: '001', accountType: 'ORDINARY', accountNumber: '1234567', holderKana: 'カ）さんぷるしょうじ', holderName: '株式会社サンプル商事' };

describe('refund statements (返金明細)', () => {
  it('appear 2 business days before the refund date, with lines, destination masked, and a PDF that raises the count', async () => {
    const { member, refundId } = await world();
    const { token } = await login(member.id, 'UPDATE');
    await stack.gql(SAVE, { i: valid }, { token });
    stack.setClock(BEFORE);
    expect((await stack.gql<{ currentRefund: unknown; refunds: unknown[] }>('{ currentRefund { id } refunds { id } }', {}, { token })).body.data).toEqual({ currentRefund: null, refunds: [] });
    stack.setClock(ON);
    const r = await stack.gql<{ currentRefund: Record<string, unknown> & { lines: { amount: number; method: string; room: { id: string } }[] } }>(
      '{ currentRefund { id refundDate publishDate amount printCount destination { bankName branchName accountType accountNumberMasked } lines { amount method status room { id } } } }', {}, { token });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.currentRefund).toMatchObject({ id: refundId, refundDate: '2027-09-27', publishDate: '2027-09-22', amount: 9658, printCount: 0, destination: { bankName: 'みずほ', branchName: '東京営業部', accountType: 'ORDINARY', accountNumberMasked: '****567' } });
    expect(r.body.data?.currentRefund.lines.map((l) => l.amount).sort()).toEqual([4653, 5005]);
    const p = await stack.gql<{ printRefundStatement: { url: string; printCount: number } }>('mutation($id: ID!) { printRefundStatement(input: { refundId: $id }) { url printCount userErrors { code } } }', { id: refundId }, { token });
    expect(p.body.data?.printRefundStatement.printCount).toBe(1);
    const pdf = Buffer.from(await (await fetch(new URL(p.body.data!.printRefundStatement.url, stack.gatewayUrl))).arrayBuffer());
    const dir = mkdtempSync(path.join(tmpdir(), 'refund-'));
    writeFileSync(path.join(dir, 'r.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('返金明細書');
    expect(text).toContain('¥9,658');
    expect(text).toContain('****567');
    // The account number is masked wherever it appears (the demo issuer's registration number, T7123456789012,
    // holds the same digits: look at the text without it).
    expect(text.replaceAll(ISSUER.registrationNumber, '')).not.toContain('1234567');
  });
});

describe('refund accounts (返金口座確認)', () => {
  it('validates bank and branch against the Zengin data, normalises the kana, masks the number, and keeps one bulk account', async () => {
    const { member, rooms } = await world();
    const { token } = await login(member.id, 'UPDATE');
    type Save = { saveRefundAccount: { account: Record<string, unknown> | null; userErrors: { code: string; field: string }[] } };
    const bad = await stack.gql<Save>(SAVE, { i: { ...valid, bankCode: '9998', accountNumber: '12345678', holderKana: '山田' } }, { token });
    expect(bad.body.data?.saveRefundAccount).toEqual({ account: null, userErrors: [{ code: 'UNKNOWN_BANK', field: 'bankCode' }, { code: 'INVALID_ACCOUNT_NUMBER', field: 'accountNumber' }, { code: 'INVALID_HOLDER_KANA', field: 'holderKana' }] });
    const branch = await stack.gql<Save>(SAVE, { i: { ...valid, branchCode: '999' } }, { token });
    expect(branch.body.data?.saveRefundAccount.userErrors).toEqual([{ code: 'UNKNOWN_BRANCH', field: 'branchCode' }]);
    expect(await stack.sql('select 1 from billing.refund_account where member_id = $1', [member.id])).toEqual([]);

    const ok = await stack.gql<Save>(SAVE, { i: valid }, { token });
    expect(ok.body.data?.saveRefundAccount).toEqual({ account: { roomId: null, bankCode: '0001', bankName: 'みずほ', branchCode: '001', branchName: '東京営業部', accountType: 'ORDINARY', accountNumberMasked: '****567', holderKana: 'ｶ)ｻﾝﾌﾟﾙｼﾖｳｼﾞ', holderName: '株式会社サンプル商事' }, userErrors: [] });
    await stack.gql<Save>(SAVE, { i: { ...valid, accountNumber: '7654321' } }, { token });
    const room = await stack.gql<Save>(SAVE, { i: { ...valid, roomId: rooms[0]!.id, accountType: 'CURRENT', accountNumber: '42' } }, { token });
    expect(room.body.data?.saveRefundAccount.account).toMatchObject({ roomId: rooms[0]!.id, accountType: 'CURRENT', accountNumberMasked: '****042' });
    const unknownRoom = await stack.gql<Save>(SAVE, { i: { ...valid, roomId: randomUUID() } }, { token });
    expect(unknownRoom.body.data?.saveRefundAccount.userErrors).toEqual([{ code: 'ROOM_NOT_FOUND', field: 'roomId' }]);

    const list = await stack.gql<{ refundAccounts: { bulk: { accountNumberMasked: string }; perRoom: { roomId: string }[] } }>('{ refundAccounts { bulk { accountNumberMasked } perRoom { roomId accountNumberMasked } } }', {}, { token });
    expect(list.body.data?.refundAccounts).toEqual({ bulk: { accountNumberMasked: '****321' }, perRoom: [{ roomId: rooms[0]!.id, accountNumberMasked: '****042' }] });
    expect(await stack.sql('select account_number from billing.refund_account where member_id = $1 order by room_id nulls first', [member.id])).toEqual([{ account_number: '7654321' }, { account_number: '0000042' }]);
    const audit = await stack.sql<{ details: unknown }>("select details from billing.audit_outbox where member_id = $1 and action = 'REFUND_ACCOUNT_SAVED'", [member.id]);
    expect(audit).toHaveLength(3);
    expect(JSON.stringify(audit)).not.toMatch(/1234567|7654321/);

    const del = await stack.gql<{ deleteRefundAccount: { deleted: boolean } }>('mutation($r: ID) { deleteRefundAccount(input: { roomId: $r }) { deleted userErrors { code } } }', { r: rooms[0]!.id }, { token });
    expect(del.body.data?.deleteRefundAccount.deleted).toBe(true);
  });

  it('billing VIEW reads but cannot change accounts (gateway and subgraph); another member sees none of them', async () => {
    const { member } = await world();
    const other = await world();
    const clerk = await login(member.id, 'UPDATE');
    await stack.gql(SAVE, { i: valid }, { token: clerk.token });
    const viewer = await login(member.id, 'VIEW');
    expect((await stack.gql<{ refundAccounts: { bulk: { accountNumberMasked: string } } }>('{ refundAccounts { bulk { accountNumberMasked } } }', {}, { token: viewer.token })).body.data?.refundAccounts.bulk.accountNumberMasked).toBe('****567');
    const g = await stack.gql(SAVE, { i: valid }, { token: viewer.token });
    expect(g.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const d = await stack.callSubgraph('billing', SAVE, { i: valid }, { accountId: viewer.account.id });
    expect(d.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const theirs = await login(other.member.id, 'UPDATE');
    expect((await stack.gql<{ refundAccounts: unknown }>('{ refundAccounts { bulk { id } perRoom { id } } }', {}, { token: theirs.token })).body.data?.refundAccounts).toEqual({ bulk: null, perRoom: [] });
    expect((await stack.gql<{ refund: unknown }>('query($id: ID!) { refund(id: $id) { id } }', { id: (await stack.sql<{ id: string }>('select id from billing.refund where member_id = $1', [member.id]))[0]!.id }, { token: theirs.token })).body.data?.refund).toBeNull();
  });
});
