import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { at, cancellationWorld, data, fileOk, filing, operatorToken, type Json } from '../../subgraphs/tenancy/test/cancellation-helpers.ts';

// Issue 11 item 6 across subgraphs: a settlement statement (tenancy, M:566) is stamped by the same TSA as
// billing's documents, so a member verifies it with billing's `verifyTimestamp` exactly like a reserved
// qualified invoice.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
});
afterAll(async () => {
  await stack?.stop();
});

const PUBLISH = `mutation($input: PublishSettlementStatementInput!) { operatorPublishSettlementStatement(input: $input) {
  settlementStatement { pdfUrl timestampTokenUrl timestampGenTime } userErrors { code field } } }`;
const MOVE = 'mutation($id: ID!) { operatorRecordMoveOut(input: { cancellationId: $id }) { userErrors { code } } }';
const VERIFY = 'mutation($d: String!, $t: String!) { verifyTimestamp(input: { documentBase64: $d, tokenBase64: $t }) { valid genTime reason } }';

describe('settlement statements verify like reserved qualified invoices', () => {
  it('billing\'s verifyTimestamp accepts the published statement with its token and refuses a changed byte', async () => {
    const w = await cancellationWorld(stack, { notify: false });
    const operator = await operatorToken(stack);
    const room = await w.room({ propertyName: 'レオパレス桜ヶ丘', prefecture: '東京都', city: '中野区' });
    stack.setClock(at('2026-05-01', '10:00'));
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { cancellationDate: '2026-06-01' }));
    stack.setClock(at('2026-06-02', '10:00'));
    expect(data(await stack.gql(MOVE, { id: c.id }, { token: operator })).operatorRecordMoveOut.userErrors).toEqual([]);
    const published = data(await stack.gql(PUBLISH, { input: { cancellationId: c.id, lines: [{ description: '原状回復費', amount: 30000, taxRate: 'STANDARD_10' }] } }, { token: operator })).operatorPublishSettlementStatement;
    expect(published.userErrors).toEqual([]);
    const s: Json = published.settlementStatement;
    const get = async (url: string) => Buffer.from(await (await fetch(new URL(url, stack.gatewayUrl))).arrayBuffer());
    const pdf = await get(s.pdfUrl);
    const token = await get(s.timestampTokenUrl);

    stack.setClock(null);
    const account = await stack.seed.account(w.member.id, { billing: 'VIEW' });
    const billingToken = await stack.login(account.loginId, account.password);
    const ok = data(await stack.gql(VERIFY, { d: pdf.toString('base64'), t: token.toString('base64') }, { token: billingToken })).verifyTimestamp;
    expect(ok).toEqual({ valid: true, genTime: s.timestampGenTime, reason: null });
    const changed = Buffer.from(pdf);
    changed[changed.length - 10]! ^= 1;
    const bad = data(await stack.gql(VERIFY, { d: changed.toString('base64'), t: token.toString('base64') }, { token: billingToken })).verifyTimestamp;
    expect(bad.valid).toBe(false);
  });
});
