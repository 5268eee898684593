import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { CHANGE, GET, WITHDRAW, at, cancellationWorld, codes, data, fileOk, filing, operatorToken, TODAY, type CancellationWorld, type Json } from './cancellation-helpers.ts';

let stack: Stack;
let w: CancellationWorld;
let operator: string;
beforeAll(async () => {
  stack = await startStack({ only: [] });
  w = await cancellationWorld(stack, { notify: false });
  operator = await operatorToken(stack);
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  stack.setClock(at(TODAY, '10:00'));
});

const change = (id: string, newDate: string, o: { atWitnessRequest?: boolean; consent?: boolean } = {}, token = w.accounts.clerk.token) =>
  stack.gql<Json>(CHANGE, { input: { cancellationId: id, newDate, ...o } }, { token }).then((r) => data(r).changeCancellationDate);
const withdraw = (id: string, confirm = true, token = w.accounts.clerk.token) => stack.gql<Json>(WITHDRAW, { id, confirm }, { token }).then((r) => data(r).withdrawCancellation);
const get = async (id: string) => data(await stack.gql(GET, { id }, { token: w.accounts.clerk.token })).cancellation;
const errorCodes = (p: Json) => p.userErrors.map((e: Json) => e.code);
const MARK = 'mutation($id: ID!, $d: Boolean!) { operatorMarkNextLeaseDecided(input: { cancellationId: $id, decided: $d }) { cancellation { id nextLeaseDecided status } userErrors { code } } }';
const markNextLease = async (id: string, decided = true) => {
  const r = data(await stack.gql(MARK, { id, d: decided }, { token: operator })).operatorMarkNextLeaseDecided;
  expect(r.userErrors).toEqual([]);
  return r.cancellation;
};
const runDecisions = () => stack.subgraphs.tenancy!.services.jobs!.runDue('cancellation-decide');

async function submitted(o: Parameters<typeof filing>[1] = {}) {
  const room = await w.room();
  return fileOk(stack, w.accounts.clerk.token, filing(room.id, { cancellationDate: '2026-12-15', ...o }));
}

describe('change of date (中途解約日変更), daytime: decided at once', () => {
  it('changes the date once; a second change is refused', async () => {
    const c = await submitted();
    const first = await change(c.id, '2026-12-20');
    expect(first).toMatchObject({ outcome: 'ACCEPTED', userErrors: [] });
    expect(first.cancellation).toMatchObject({ status: 'SUBMITTED', cancellationDate: '2026-12-20', originalDate: '2026-12-15', dateChangeUsed: true, canChangeDate: false, canWithdraw: true, pendingRequest: null });
    expect(first.cancellation.history.map((h: Json) => `${h.event}:${h.toStatus}`)).toEqual(['FILE:SUBMITTED', 'REQUEST_CHANGE:CHANGE_PENDING', 'ACCEPT_CHANGE:SUBMITTED']);
    const second = await change(c.id, '2026-12-22');
    expect(second.outcome).toBeNull();
    expect(errorCodes(second)).toEqual(['DATE_CHANGE_ALREADY_USED']);
    expect(second.userErrors[0].messageJa).toContain('1回限り');
    expect((await get(c.id)).cancellationDate).toBe('2026-12-20');
  });

  it('the new date follows the filing rules: exactly 7 days ahead refused, 8 accepted; Dec 29 / Jan 3 refused, Dec 28 / Jan 4 accepted', async () => {
    for (const [date, expected] of [['2026-11-17', ['DATE_WITHIN_7_DAYS']], ['2026-12-29', ['DATE_IN_YEAR_END_CLOSURE']], ['2027-01-03', ['DATE_IN_YEAR_END_CLOSURE']]] as const) {
      const c = await submitted();
      const r = await change(c.id, date);
      expect(errorCodes(r)).toEqual(expected);
      expect(r.userErrors[0].field).toBe('input.newDate');
      // a refused input does not use up the one change
      expect((await get(c.id)).dateChangeUsed).toBe(false);
    }
    for (const date of ['2026-11-18', '2026-12-28', '2027-01-04']) {
      const c = await submitted();
      expect(await change(c.id, date)).toMatchObject({ outcome: 'ACCEPTED', userErrors: [] });
    }
  });

  it('not when the current date is within 7 days (exactly 7 refused, 8 allowed)', async () => {
    const seven = await submitted({ cancellationDate: '2026-11-25' });
    const eight = await submitted({ cancellationDate: '2026-11-26' });
    stack.setClock(at('2026-11-18', '10:00'));
    expect(errorCodes(await change(seven.id, '2026-12-20'))).toEqual(['CURRENT_DATE_WITHIN_7_DAYS']);
    expect(errorCodes(await withdraw(seven.id))).toEqual(['CURRENT_DATE_WITHIN_7_DAYS']);
    expect((await change(eight.id, '2026-12-20')).outcome).toBe('ACCEPTED');
  });

  it('moving the date at the witness\'s request needs the consent flag', async () => {
    const c = await submitted();
    const refused = await change(c.id, '2026-12-20', { atWitnessRequest: true });
    expect(refused.userErrors.map((e: Json) => `${e.field}:${e.code}`)).toEqual(['input.consent:CONSENT_REQUIRED']);
    const ok = await change(c.id, '2026-12-20', { atWitnessRequest: true, consent: true });
    expect(ok).toMatchObject({ outcome: 'ACCEPTED', cancellation: { witnessConsent: true, cancellationDate: '2026-12-20' } });
  });

  it('after "next lease decided": 変更エラー with the reason, and no further change or withdrawal', async () => {
    const c = await submitted();
    expect(await markNextLease(c.id)).toMatchObject({ nextLeaseDecided: true, status: 'SUBMITTED' });
    const r = await change(c.id, '2026-12-20');
    expect(r.outcome).toBe('REFUSED');
    expect(errorCodes(r)).toEqual(['NEXT_LEASE_DECIDED']);
    expect(r.userErrors[0].messageJa).toBe('該当のお部屋は、既に次の契約が決まっている為変更ができません。');
    expect(r.cancellation).toMatchObject({ status: 'CHANGE_ERROR', statusLabel: '変更エラー', cancellationDate: '2026-12-15', changeError: { code: 'NEXT_LEASE_DECIDED' }, canChangeDate: false, canWithdraw: false });
    expect(r.cancellation.changeError.messageJa).toContain('次の契約が決まっている');
    expect(errorCodes(await withdraw(c.id))).toEqual(['CHANGE_NOT_ALLOWED']);
  });

  it('a withdrawal after "next lease decided" is refused the same way', async () => {
    const c = await submitted();
    await markNextLease(c.id);
    const r = await withdraw(c.id);
    expect(r).toMatchObject({ outcome: 'REFUSED', cancellation: { status: 'CHANGE_ERROR', changeError: { code: 'NEXT_LEASE_DECIDED' } } });
    expect(errorCodes(r)).toEqual(['NEXT_LEASE_DECIDED']);
  });

  it('an unmarked next lease lets the change through again', async () => {
    const c = await submitted();
    await markNextLease(c.id, true);
    expect(await markNextLease(c.id, false)).toMatchObject({ nextLeaseDecided: false });
    expect((await change(c.id, '2026-12-20')).outcome).toBe('ACCEPTED');
  });
});

describe('withdrawal (解約申し入れ取り消し)', () => {
  it('needs the confirmation; withdraws once; a second withdrawal is refused', async () => {
    const c = await submitted();
    expect(errorCodes(await withdraw(c.id, false))).toEqual(['CONFIRMATION_REQUIRED']);
    const first = await withdraw(c.id);
    expect(first).toMatchObject({ outcome: 'ACCEPTED', userErrors: [], cancellation: { status: 'WITHDRAWN', withdrawalUsed: true } });
    expect(errorCodes(await withdraw(c.id))).toEqual(['WITHDRAWAL_ALREADY_USED']);
    expect(errorCodes(await change(c.id, '2026-12-20'))).toEqual(['CHANGE_NOT_ALLOWED']);
  });

  it('after a change the one withdrawal is still available', async () => {
    const c = await submitted();
    expect((await change(c.id, '2026-12-20')).outcome).toBe('ACCEPTED');
    expect((await withdraw(c.id)).outcome).toBe('ACCEPTED');
  });
});

describe('20:00-8:00: pending (中途解約日変更（取消）受付中), decided by the job after 8:00', () => {
  it('19:59 is decided at once', async () => {
    const c = await submitted();
    stack.setClock(at(TODAY, '19:59'));
    expect(await change(c.id, '2026-12-20')).toMatchObject({ outcome: 'ACCEPTED', cancellation: { status: 'SUBMITTED', cancellationDate: '2026-12-20' } });
  });

  it('08:00 is daytime again: decided at once', async () => {
    const c = await submitted();
    stack.setClock(at('2026-11-11', '08:00'));
    expect(await change(c.id, '2026-12-20')).toMatchObject({ outcome: 'ACCEPTED', cancellation: { status: 'SUBMITTED' } });
  });

  it('20:00: pending; still pending at 07:59; decided by the job run after 8:00', async () => {
    const c = await submitted();
    stack.setClock(at(TODAY, '20:00'));
    const r = await change(c.id, '2026-12-20');
    expect(r).toMatchObject({ outcome: 'PENDING', userErrors: [] });
    expect(r.cancellation).toMatchObject({
      status: 'CHANGE_PENDING',
      statusLabel: '中途解約日変更（取消）受付中',
      cancellationDate: '2026-12-15',
      dateChangeUsed: true,
      canChangeDate: false,
      canWithdraw: false,
      pendingRequest: { kind: 'DATE_CHANGE', newDate: '2026-12-20' },
    });
    expect(new Date(r.cancellation.pendingRequest.decidedAfter).toISOString()).toBe(at('2026-11-11', '08:00').toISOString());
    // while pending, another change or withdrawal is refused
    expect(errorCodes(await withdraw(c.id))).toEqual(['CHANGE_PENDING']);

    stack.setClock(at('2026-11-11', '07:59'));
    await runDecisions();
    expect((await get(c.id)).status).toBe('CHANGE_PENDING');

    stack.setClock(at('2026-11-11', '08:00'));
    await runDecisions();
    const decided = await get(c.id);
    expect(decided).toMatchObject({ status: 'SUBMITTED', cancellationDate: '2026-12-20', pendingRequest: null });
    expect(decided.history.map((h: Json) => `${h.event}:${h.actorType}`)).toEqual(['FILE:ACCOUNT', 'REQUEST_CHANGE:ACCOUNT', 'ACCEPT_CHANGE:SYSTEM']);
  });

  it('07:59: pending, decided at 08:00 the same morning', async () => {
    const c = await submitted();
    stack.setClock(at('2026-11-11', '07:59'));
    const r = await withdraw(c.id);
    expect(r).toMatchObject({ outcome: 'PENDING', cancellation: { status: 'CHANGE_PENDING', pendingRequest: { kind: 'WITHDRAWAL' } } });
    stack.setClock(at('2026-11-11', '08:00'));
    await runDecisions();
    expect((await get(c.id)).status).toBe('WITHDRAWN');
  });

  it('a night request whose room gets "next lease decided" before 8:00 ends in 変更エラー', async () => {
    const c = await submitted();
    stack.setClock(at(TODAY, '23:00'));
    expect((await change(c.id, '2026-12-20')).outcome).toBe('PENDING');
    await markNextLease(c.id);
    stack.setClock(at('2026-11-11', '08:05'));
    await runDecisions();
    expect(await get(c.id)).toMatchObject({ status: 'CHANGE_ERROR', cancellationDate: '2026-12-15', changeError: { code: 'NEXT_LEASE_DECIDED' } });
  });

  it('the rules are still checked at entry at night (second change refused at once)', async () => {
    const c = await submitted();
    expect((await change(c.id, '2026-12-20')).outcome).toBe('ACCEPTED');
    stack.setClock(at(TODAY, '21:00'));
    expect(errorCodes(await change(c.id, '2026-12-22'))).toEqual(['DATE_CHANGE_ALREADY_USED']);
    expect(errorCodes(await change((await submitted()).id, '2026-11-17'))).toEqual(['DATE_WITHIN_7_DAYS']);
  });
});

describe('operator side', () => {
  it('members cannot mark "next lease decided", record a move-out, publish, or list incoming cancellations', async () => {
    const c = await submitted();
    const admin = await stack.seed.account(w.member.id, { admin: true });
    const adminToken = await stack.login(admin.loginId, admin.password);
    const ops: [string, Json][] = [
      [MARK, { id: c.id, d: true }],
      ['mutation($id: ID!) { operatorRecordMoveOut(input: { cancellationId: $id }) { userErrors { code } } }', { id: c.id }],
      ['mutation($id: ID!) { operatorPublishSettlementStatement(input: { cancellationId: $id, lines: [{ description: "x", amount: 1, taxRate: STANDARD_10 }] }) { userErrors { code } } }', { id: c.id }],
      ['{ operatorCancellations { totalCount } }', {}],
    ];
    for (const [query, variables] of ops) {
      expect(codes(await stack.gql(query, variables, { token: adminToken }))).toContain('FORBIDDEN');
      expect(codes(await stack.callSubgraph('tenancy', query, variables, { accountId: admin.id }))).toContain('FORBIDDEN');
    }
    expect((await get(c.id)).nextLeaseDecided).toBe(false);
  });

  it('lists incoming cancellations of every member, newest first, filtered and paged', async () => {
    const other = await cancellationWorld(stack, { notify: false });
    stack.setClock(at('2026-11-11', '09:00'));
    const mine = await submitted();
    stack.setClock(at('2026-11-11', '09:01'));
    const theirs = await fileOk(stack, other.accounts.clerk.token, filing((await other.room()).id));
    const q = `query($f: OperatorCancellationFilter, $after: String) { operatorCancellations(filter: $f, first: 1, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id memberNumber status apNo roomNumber propertyName history { event } } } } }`;
    const byMember = data(await stack.gql(q, { f: { memberNumber: other.member.memberNumber } }, { token: operator })).operatorCancellations;
    expect(byMember.totalCount).toBe(1);
    expect(byMember.edges[0].node).toMatchObject({ id: theirs.id, memberNumber: other.member.memberNumber, status: 'SUBMITTED', history: [{ event: 'FILE' }] });
    const f = { statuses: ['SUBMITTED'], filedFrom: '2026-11-11', filedTo: '2026-11-11' };
    const page1 = data(await stack.gql(q, { f }, { token: operator })).operatorCancellations;
    expect(page1).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(page1.edges[0].node.id).toBe(theirs.id);
    const page2 = data(await stack.gql(q, { f, after: page1.pageInfo.endCursor }, { token: operator })).operatorCancellations;
    expect(page2.edges.map((e: Json) => e.node.id)).toEqual([mine.id]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(data(await stack.gql(q, { f: { filedFrom: '2026-11-12' } }, { token: operator })).operatorCancellations.totalCount).toBe(0);
  });

  it('records the move-out only from 解約受付 or 変更エラー, not in the future', async () => {
    const MOVE = 'mutation($id: ID!, $d: Date) { operatorRecordMoveOut(input: { cancellationId: $id, movedOutOn: $d }) { cancellation { status } userErrors { code field } } }';
    const c = await submitted();
    expect(data(await stack.gql(MOVE, { id: c.id }, { token: operator })).operatorRecordMoveOut.userErrors.map((e: Json) => e.code)).toEqual(['DATE_INVALID']);
    stack.setClock(at('2026-12-16', '10:00'));
    const moved = data(await stack.gql(MOVE, { id: c.id }, { token: operator })).operatorRecordMoveOut;
    expect(moved).toMatchObject({ userErrors: [], cancellation: { status: 'MOVED_OUT' } });
    expect(data(await stack.gql(MOVE, { id: c.id }, { token: operator })).operatorRecordMoveOut.userErrors.map((e: Json) => e.code)).toEqual(['INVALID_STATUS']);
    expect((await get(c.id)).statusLabel).toBe('退去済');
  });
});
