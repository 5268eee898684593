import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, defaultDemoOptions, loadDemoData } from '@portal/demo-data';
import { startStack, type Stack } from '@portal/testing';
import { CHANGE, FILE, WITHDRAW, at, codes, data, filing, type Json } from './cancellation-helpers.ts';

/**
 * The acceptance with the demo logins: demo-viewer (cancellation VIEW) searches and reads
 * settlement statements but cannot file, change or withdraw; demo-none cannot even search.
 */
let stack: Stack;
const token: Record<string, string> = {};
let operator = '';
let statementId = '';
let cancellationId = '';

beforeAll(async () => {
  stack = await startStack({ only: [] });
  await loadDemoData(stack.database.url, defaultDemoOptions(new Date('2026-11-22T00:00:00Z')));
  for (const login of ['demo-clerk', 'demo-viewer', 'demo-none']) token[login] = await stack.login(login, DEMO_PASSWORD);
  const op = await stack.gql<Json>('mutation($i: LoginInput!) { operatorLogin(input: $i) { token } }', { i: { loginId: 'demo-operator', password: DEMO_PASSWORD } });
  operator = data(op).operatorLogin.token;

  // demo-clerk files, the operator records the move-out and publishes the statement
  stack.setClock(at('2026-11-10', '10:00'));
  const roomId = (await stack.sql<{ id: string }>("select r.id from tenancy.room r join tenancy.member m on m.id = r.member_id where m.member_number = '10000001' order by r.id limit 1"))[0]!.id;
  const filed = data(await stack.gql(FILE, { input: filing(roomId, { cancellationDate: '2026-11-18' }) }, { token: token['demo-clerk'] })).fileCancellation;
  expect(filed.userErrors).toEqual([]);
  cancellationId = filed.cancellation.id;
  stack.setClock(at('2026-11-19', '10:00'));
  expect(data(await stack.gql('mutation($id: ID!) { operatorRecordMoveOut(input: { cancellationId: $id }) { userErrors { code } } }', { id: cancellationId }, { token: operator })).operatorRecordMoveOut.userErrors).toEqual([]);
  const published = data(
    await stack.gql(
      'mutation($id: ID!) { operatorPublishSettlementStatement(input: { cancellationId: $id, lines: [{ description: "原状回復費", amount: 33000, taxRate: STANDARD_10 }] }) { settlementStatement { id } userErrors { code } } }',
      { id: cancellationId },
      { token: operator },
    ),
  ).operatorPublishSettlementStatement;
  expect(published.userErrors).toEqual([]);
  statementId = published.settlementStatement.id;
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

describe('demo logins', () => {
  it('demo-viewer searches the 1,200 rooms and reads and downloads settlement statements', async () => {
    const page = data(await stack.gql('{ cancellationTargets(filter: { moveOut: {} }) { totalCount edges { node { roomNumber } } } }', {}, { token: token['demo-viewer'] })).cancellationTargets;
    expect(page.totalCount).toBe(1200);
    expect(page.edges).toHaveLength(50);
    const marked = data(await stack.gql('{ cancellationTargets(filter: { statuses: [MOVED_OUT] }) { edges { node { hasSettlementStatement settlementStatement { id totalAmount pdfUrl } } } } }', {}, { token: token['demo-viewer'] })).cancellationTargets;
    // the demo world has move-outs of its own; this test's is the one with its statement
    const mine = marked.edges.filter((e: Json) => e.node.settlementStatement?.id === statementId);
    expect(mine).toHaveLength(1);
    expect(mine[0].node).toMatchObject({ hasSettlementStatement: true, settlementStatement: { totalAmount: 36300 } });
    const zip = data(await stack.gql('mutation($ids: [ID!]!) { downloadSettlementStatements(input: { statementIds: $ids }) { count userErrors { code } } }', { ids: [statementId] }, { token: token['demo-viewer'] })).downloadSettlementStatements;
    expect(zip).toEqual({ count: 1, userErrors: [] });
  });

  it('demo-viewer cannot file, change or withdraw (gateway)', async () => {
    stack.setClock(at('2026-11-10', '10:00'));
    const roomId = (await stack.sql<{ id: string }>("select r.id from tenancy.room r join tenancy.member m on m.id = r.member_id where m.member_number = '10000001' order by r.id desc limit 1"))[0]!.id;
    for (const [q, v] of [
      [FILE, { input: filing(roomId) }],
      [CHANGE, { input: { cancellationId, newDate: '2026-12-20' } }],
      [WITHDRAW, { id: cancellationId, confirm: true }],
    ] as [string, Json][]) {
      const r = await stack.gql(q, v, { token: token['demo-viewer'] });
      expect(codes(r)).toContain('FORBIDDEN');
      expect(r.body.data ?? null).toBeNull();
    }
    expect(await stack.sql('select 1 from tenancy.cancellation where room_id = $1', [roomId])).toHaveLength(0);
  });

  it('demo-none cannot even search', async () => {
    const r = await stack.gql('{ cancellationTargets { totalCount } }', {}, { token: token['demo-none'] });
    expect(codes(r)).toContain('FORBIDDEN');
    expect(codes(await stack.gql('query($id: ID!) { cancellation(id: $id) { id } }', { id: cancellationId }, { token: token['demo-none'] }))).toContain('FORBIDDEN');
  });
});
