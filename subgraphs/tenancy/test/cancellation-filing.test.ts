import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromMikroOrm, readOutbox } from '@portal/platform';
import { startStack, type Stack } from '@portal/testing';
import { APPROVE, DENY, FILE, GET, PREVIEW, WITHDRAW, at, cancellationWorld, codes, data, fileOk, filing, TODAY, type CancellationWorld, type Json } from './cancellation-helpers.ts';

let stack: Stack;
let w: CancellationWorld;
beforeAll(async () => {
  stack = await startStack({ only: [] });
  w = await cancellationWorld(stack);
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  stack.setClock(at(TODAY, '10:00'));
});

const file = (token: string, input: ReturnType<typeof filing>) => stack.gql<Json>(FILE, { input }, { token });

describe('filing (退室通知): the date rules at their edges', () => {
  // today = 2026-11-10 (JST)
  const cases: [string, string, string[]][] = [
    ['exactly 7 days ahead: refused (7日以内)', '2026-11-17', ['DATE_WITHIN_7_DAYS']],
    ['8 days ahead: accepted', '2026-11-18', []],
    ['today: refused', '2026-11-10', ['DATE_WITHIN_7_DAYS']],
    ['in the past: refused', '2026-11-01', ['DATE_WITHIN_7_DAYS']],
    ['Dec 28: accepted', '2026-12-28', []],
    ['Dec 29: refused (年末年始)', '2026-12-29', ['DATE_IN_YEAR_END_CLOSURE']],
    ['Jan 3: refused (年末年始)', '2027-01-03', ['DATE_IN_YEAR_END_CLOSURE']],
    ['Jan 4: accepted', '2027-01-04', []],
  ];
  it.each(cases)('%s', async (_name, date, expected) => {
    const room = await w.room();
    const input = filing(room.id, { cancellationDate: date });
    const preview = data(await stack.gql(PREVIEW, { input }, { token: w.accounts.clerk.token })).cancellationPreview;
    expect(preview.userErrors.map((e: Json) => e.code)).toEqual(expected);
    expect(preview.acceptable).toBe(expected.length === 0);
    expect(preview.earliestDate).toBe('2026-11-18');
    const r = data(await file(w.accounts.clerk.token, input)).fileCancellation;
    expect(r.userErrors.map((e: Json) => e.code)).toEqual(expected);
    if (expected.length) {
      expect(r.cancellation).toBeNull();
      expect(r.userErrors[0].field).toBe('input.cancellationDate');
      expect(r.userErrors[0].messageJa).toContain('弊社担当者までご連絡ください');
      expect(await stack.sql('select 1 from tenancy.cancellation where room_id = $1', [room.id])).toHaveLength(0);
    } else {
      expect(r.cancellation).toMatchObject({ status: 'SUBMITTED', statusLabel: '解約受付', cancellationDate: date, approvalsRequired: 0 });
    }
  });

  it('counts "today" in JST: at 23:30 JST on Nov 10 (14:30 UTC) the 18th is still 8 days ahead; at 00:00 on the 11th it is 7', async () => {
    stack.setClock(at(TODAY, '23:30'));
    const a = await w.room();
    expect(data(await file(w.accounts.clerk.token, filing(a.id, { cancellationDate: '2026-11-18' }))).fileCancellation.userErrors).toEqual([]);
    stack.setClock(at('2026-11-11', '00:00'));
    const b = await w.room();
    expect(data(await file(w.accounts.clerk.token, filing(b.id, { cancellationDate: '2026-11-18' }))).fileCancellation.userErrors.map((e: Json) => e.code)).toEqual(['DATE_WITHIN_7_DAYS']);
  });
});

describe('cancellationPreview.earliestDate is a date the same preview accepts (issue 11.1)', () => {
  it('on every day from Dec 15 to Jan 5 (JST, 10:00), the preview accepts its own earliestDate', async () => {
    const room = await w.room();
    const answers: Record<string, string> = {};
    for (let t = Date.UTC(2026, 11, 15); t <= Date.UTC(2027, 0, 5); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      stack.setClock(at(day, '10:00'));
      const probe = data(await stack.gql(PREVIEW, { input: filing(room.id, { cancellationDate: day }) }, { token: w.accounts.clerk.token })).cancellationPreview;
      const earliest = probe.earliestDate as string;
      const preview = data(await stack.gql(PREVIEW, { input: filing(room.id, { cancellationDate: earliest }) }, { token: w.accounts.clerk.token })).cancellationPreview;
      expect(preview.userErrors, `filed ${day}, earliest ${earliest}`).toEqual([]);
      expect(preview.earliestDate).toBe(earliest);
      answers[day] = earliest;
    }
    // Dec 21-27 all point past the closure (Dec 29 - Jan 3) to Jan 4.
    expect(answers['2026-12-20']).toBe('2026-12-28');
    for (const day of ['2026-12-21', '2026-12-24', '2026-12-26', '2026-12-27']) expect(answers[day]).toBe('2027-01-04');
  });
});

describe('filing: the other rules', () => {
  it('preview returns every rule with its verdict and saves nothing', async () => {
    const room = await w.room();
    const input = filing(room.id, { cancellationDate: '2026-12-30', reasons: [], contactPhone: 'x', approvalsRequired: 9 });
    const p = data(await stack.gql(PREVIEW, { input }, { token: w.accounts.clerk.token })).cancellationPreview;
    expect(p.acceptable).toBe(false);
    const verdicts = Object.fromEntries(p.verdicts.map((v: Json) => [v.rule, v.passed ? 'ok' : v.error.code]));
    expect(verdicts).toEqual({
      ROOM_LEASED: 'ok',
      NOT_ALREADY_CANCELLING: 'ok',
      DATE_NOT_WITHIN_7_DAYS: 'ok',
      NOT_IN_YEAR_END_CLOSURE: 'DATE_IN_YEAR_END_CLOSURE',
      WITHIN_LEASE: 'ok',
      REASONS: 'REASON_REQUIRED',
      CONTACT_NAME: 'ok',
      CONTACT_PHONE: 'CONTACT_PHONE_INVALID',
      APPROVERS_AVAILABLE: 'NOT_ENOUGH_APPROVERS',
    });
    expect(p.requiresApproval).toBe(true);
    expect(await stack.sql('select 1 from tenancy.cancellation where room_id = $1', [room.id])).toHaveLength(0);
  });

  it('refuses a room already being cancelled, and accepts a new filing after a withdrawal', async () => {
    const room = await w.room();
    const first = await fileOk(stack, w.accounts.clerk.token, filing(room.id));
    const again = data(await file(w.accounts.clerk.token, filing(room.id, { cancellationDate: '2026-12-20' }))).fileCancellation;
    expect(again.userErrors.map((e: Json) => `${e.field}:${e.code}`)).toEqual(['input.roomId:ALREADY_CANCELLING']);
    const withdrawn = data(await stack.gql(WITHDRAW, { id: first.id, confirm: true }, { token: w.accounts.clerk.token })).withdrawCancellation;
    expect(withdrawn.cancellation.status).toBe('WITHDRAWN');
    await fileOk(stack, w.accounts.clerk.token, filing(room.id, { cancellationDate: '2026-12-20' }));
  });

  it('two concurrent filings for one room: exactly one wins', async () => {
    const room = await w.room();
    const results = await Promise.all([1, 2, 3].map(() => file(w.accounts.clerk.token, filing(room.id))));
    const ok = results.filter((r) => data(r).fileCancellation.userErrors.length === 0);
    expect(ok).toHaveLength(1);
    expect(results.map((r) => data(r).fileCancellation.userErrors.map((e: Json) => e.code)).flat().sort()).toEqual(['ALREADY_CANCELLING', 'ALREADY_CANCELLING']);
  });

  it("refuses another member's room exactly like a room that does not exist", async () => {
    const other = await stack.seed.member();
    const foreign = await stack.seed.room(other.id);
    const a = data(await file(w.accounts.clerk.token, filing(foreign.id))).fileCancellation;
    const b = data(await file(w.accounts.clerk.token, filing('00000000-0000-4000-8000-000000000000'))).fileCancellation;
    const c = data(await file(w.accounts.clerk.token, filing('not-a-uuid'))).fileCancellation;
    expect(a.userErrors).toEqual(b.userErrors);
    expect(b.userErrors).toEqual(c.userErrors);
    expect(a.userErrors.map((e: Json) => e.code)).toEqual(['ROOM_NOT_LEASED']);
    expect(await stack.sql('select 1 from tenancy.cancellation where room_id = $1', [foreign.id])).toHaveLength(0);
  });

  it('refuses a room whose lease has ended', async () => {
    const room = await w.room();
    await stack.sql(`update tenancy.lease set end_date = '2026-11-09' where id = $1`, [room.leaseId]);
    expect(data(await file(w.accounts.clerk.token, filing(room.id))).fileCancellation.userErrors.map((e: Json) => e.code)).toEqual(['ROOM_NOT_LEASED']);
  });

  it('reasons: 1 to 5 of the eight', async () => {
    const room = await w.room();
    const six = ['FACILITIES_LAYOUT', 'LOCATION', 'OUR_SERVICE', 'TRANSFER_TO_OUR_PROPERTY', 'TRANSFER_TO_OTHER_PROPERTY', 'RETIREMENT'];
    expect(data(await file(w.accounts.clerk.token, filing(room.id, { reasons: six }))).fileCancellation.userErrors.map((e: Json) => e.code)).toEqual(['TOO_MANY_REASONS']);
    expect(data(await file(w.accounts.clerk.token, filing(room.id, { reasons: [] }))).fileCancellation.userErrors.map((e: Json) => e.code)).toEqual(['REASON_REQUIRED']);
    const ok = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { reasons: six.slice(0, 5) }));
    expect(ok.reasons).toEqual(six.slice(0, 5));
    const bad = await stack.gql(FILE, { input: filing(room.id, { reasons: ['NOT_A_REASON'] }) }, { token: w.accounts.clerk.token });
    expect(codes(bad)).toContain('BAD_USER_INPUT');
  });

  it('warns of the early-termination penalty up to and including the last day of the period, with the amount', async () => {
    const inside = await w.room({ penaltyUntil: '2026-12-15', penaltyAmount: 50000 });
    const p = data(await stack.gql(PREVIEW, { input: filing(inside.id, { cancellationDate: '2026-12-15' }) }, { token: w.accounts.clerk.token })).cancellationPreview;
    expect(p.acceptable).toBe(true);
    expect(p.penalty).toEqual({ penaltyUntil: '2026-12-15', amount: 50000 });
    const filed = data(await file(w.accounts.clerk.token, filing(inside.id, { cancellationDate: '2026-12-15' }))).fileCancellation;
    expect(filed.penalty).toMatchObject({ penaltyUntil: '2026-12-15', amount: 50000 });
    expect(filed.penalty.messageJa).toContain('違約金');
    const after = await w.room({ penaltyUntil: '2026-12-15', penaltyAmount: 50000 });
    expect(data(await stack.gql(PREVIEW, { input: filing(after.id, { cancellationDate: '2026-12-16' }) }, { token: w.accounts.clerk.token })).cancellationPreview.penalty).toBeNull();
    const unknownAmount = await w.room({ penaltyUntil: '2027-03-31', penaltyAmount: null });
    expect(data(await stack.gql(PREVIEW, { input: filing(unknownAmount.id) }, { token: w.accounts.clerk.token })).cancellationPreview.penalty).toEqual({ penaltyUntil: '2027-03-31', amount: null });
  });

  it('records the requester, the history and the room data', async () => {
    const room = await w.room({ propertyName: 'レオパレス桜', roomNumber: '104' });
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id));
    expect(c).toMatchObject({ requestedByName: '申請 一郎', requestedByMe: true, propertyName: 'レオパレス桜', roomNumber: '104', memberNumber: w.member.memberNumber, canChangeDate: true, canWithdraw: true });
    expect(c.history).toEqual([{ event: 'FILE', fromStatus: null, toStatus: 'SUBMITTED', actorType: 'ACCOUNT' }]);
  });
});

describe('approvals (承認人数 > 0)', () => {
  const mails = async () => readOutbox(fromMikroOrm(stack.subgraphs.tenancy!.orm.em.fork()), 'tenancy');

  it('with 2 approvals: one keeps it waiting, the requester cannot approve, the second submits it; mails to opted-in accounts', async () => {
    const room = await w.room();
    const before = (await mails()).length;
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { approvalsRequired: 2 }));
    expect(c).toMatchObject({ status: 'AWAITING_APPROVAL', approvalsRequired: 2, approvalsRemaining: 2, canChangeDate: false });
    const requested = (await mails()).slice(before);
    // opted in: approver1 (REQUEST) — approver2 opted out, the viewer cannot approve, the requester acted
    expect(requested.map((m) => m.to[0])).toEqual([w.accounts.approver1.email]);
    expect(requested[0]!.subject).toContain('承認依頼');
    expect(requested[0]!.text).toContain('寮規定満了');

    const own = data(await stack.gql(APPROVE, { id: c.id }, { token: w.accounts.clerk.token })).approveCancellation;
    expect(own.userErrors.map((e: Json) => e.code)).toEqual(['CANNOT_APPROVE_OWN']);

    const one = data(await stack.gql(APPROVE, { id: c.id }, { token: w.accounts.approver1.token })).approveCancellation;
    expect(one.userErrors).toEqual([]);
    expect(one.cancellation).toMatchObject({ status: 'AWAITING_APPROVAL', approvalsRemaining: 1 });
    const twice = data(await stack.gql(APPROVE, { id: c.id }, { token: w.accounts.approver1.token })).approveCancellation;
    expect(twice.userErrors.map((e: Json) => e.code)).toEqual(['ALREADY_DECIDED']);
    expect(await stack.sql('select submitted_at from tenancy.cancellation where id = $1', [c.id])).toEqual([{ submitted_at: null }]);

    const afterFirst = (await mails()).length;
    const two = data(await stack.gql(APPROVE, { id: c.id }, { token: w.accounts.approver2.token })).approveCancellation;
    expect(two.userErrors).toEqual([]);
    expect(two.cancellation).toMatchObject({ status: 'SUBMITTED', approvalsRemaining: 0 });
    expect(two.cancellation.approvals.map((a: Json) => a.accountName)).toEqual(['承認 二郎', '承認 三郎']);
    expect(two.cancellation.history.map((h: Json) => h.event)).toEqual(['FILE_FOR_APPROVAL', 'APPROVE', 'APPROVE_LAST']);
    const submitted = (await mails()).slice(afterFirst);
    expect(submitted.map((m) => m.to[0]).sort()).toEqual([w.accounts.approver1.email, w.accounts.clerk.email].sort());
    expect(submitted.every((m) => m.subject.includes('完了'))).toBe(true);
  });

  it('a denial ends it, with the reason, and mails the opted-in accounts', async () => {
    const room = await w.room();
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { approvalsRequired: 2 }));
    const noReason = data(await stack.gql(DENY, { id: c.id, reason: '  ' }, { token: w.accounts.approver2.token })).denyCancellation;
    expect(noReason.userErrors.map((e: Json) => `${e.field}:${e.code}`)).toEqual(['input.reason:DENIAL_REASON_REQUIRED']);
    const before = (await mails()).length;
    const denied = data(await stack.gql(DENY, { id: c.id, reason: '異動が取り消しになったため' }, { token: w.accounts.approver2.token })).denyCancellation;
    expect(denied.userErrors).toEqual([]);
    expect(denied.cancellation).toMatchObject({ status: 'DENIED', statusLabel: '否認', denial: { deniedByName: '承認 三郎', reason: '異動が取り消しになったため' } });
    const sent = (await mails()).slice(before);
    expect(sent.map((m) => m.to[0]).sort()).toEqual([w.accounts.approver1.email, w.accounts.clerk.email].sort());
    expect(sent[0]!.text).toContain('異動が取り消しになったため');
    const late = data(await stack.gql(APPROVE, { id: c.id }, { token: w.accounts.approver1.token })).approveCancellation;
    expect(late.userErrors.map((e: Json) => e.code)).toEqual(['NOT_AWAITING_APPROVAL']);
    // the room is free again
    await fileOk(stack, w.accounts.clerk.token, filing(room.id));
  });

  it('the requester cannot deny their own request either; approvals need other accounts to exist', async () => {
    const room = await w.room();
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { approvalsRequired: 1 }));
    expect(data(await stack.gql(DENY, { id: c.id, reason: 'x' }, { token: w.accounts.clerk.token })).denyCancellation.userErrors.map((e: Json) => e.code)).toEqual(['CANNOT_APPROVE_OWN']);
    // other accounts that may approve: approver1, approver2 → 2 is the maximum, 3 is refused
    const r2 = await w.room();
    expect(data(await file(w.accounts.clerk.token, filing(r2.id, { approvalsRequired: 3 }))).fileCancellation.userErrors.map((e: Json) => e.code)).toEqual(['NOT_ENOUGH_APPROVERS']);
    expect(data(await file(w.accounts.clerk.token, filing(r2.id, { approvalsRequired: 2 }))).fileCancellation.userErrors).toEqual([]);
  });

  it('0 approvals: submitted at once, no mail', async () => {
    const room = await w.room();
    const before = (await mails()).length;
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id));
    expect(c.status).toBe('SUBMITTED');
    expect((await mails()).length).toBe(before);
  });

  it('lists what awaits my approval; a request awaiting approval can be withdrawn at once', async () => {
    const room = await w.room();
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { approvalsRequired: 1 }));
    const q = '{ cancellationsAwaitingMyApproval { id } }';
    expect(data(await stack.gql(q, {}, { token: w.accounts.approver1.token })).cancellationsAwaitingMyApproval.map((x: Json) => x.id)).toContain(c.id);
    expect(data(await stack.gql(q, {}, { token: w.accounts.clerk.token })).cancellationsAwaitingMyApproval.map((x: Json) => x.id)).not.toContain(c.id);
    const w1 = data(await stack.gql(WITHDRAW, { id: c.id, confirm: true }, { token: w.accounts.clerk.token })).withdrawCancellation;
    expect(w1).toMatchObject({ outcome: 'ACCEPTED', userErrors: [], cancellation: { status: 'WITHDRAWN' } });
  });

  it('the last approval re-checks the 7-day rule: the date must still be 8 days ahead when it is submitted', async () => {
    const room = await w.room();
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id, { cancellationDate: '2026-11-20', approvalsRequired: 1 }));
    stack.setClock(at('2026-11-13', '10:00'));
    const late = data(await stack.gql(APPROVE, { id: c.id }, { token: w.accounts.approver1.token })).approveCancellation;
    expect(late.userErrors.map((e: Json) => e.code)).toEqual(['DATE_WITHIN_7_DAYS']);
    expect(data(await stack.gql(GET, { id: c.id }, { token: w.accounts.clerk.token })).cancellation.status).toBe('AWAITING_APPROVAL');
  });
});

describe('permissions and isolation', () => {
  it('demo-viewer-like (VIEW) can read but cannot file, change, withdraw or approve — at the gateway and at the subgraph', async () => {
    const room = await w.room();
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id));
    expect(data(await stack.gql(GET, { id: c.id }, { token: w.accounts.viewer.token })).cancellation.id).toBe(c.id);
    const ops: [string, Json][] = [
      [FILE, { input: filing(room.id) }],
      ['mutation($id: ID!) { changeCancellationDate(input: { cancellationId: $id, newDate: "2026-12-20" }) { outcome } }', { id: c.id }],
      [WITHDRAW, { id: c.id, confirm: true }],
      [APPROVE, { id: c.id }],
      [PREVIEW, { input: filing(room.id) }],
    ];
    for (const [query, variables] of ops) {
      expect(codes(await stack.gql(query, variables, { token: w.accounts.viewer.token }))).toContain('FORBIDDEN');
      expect(codes(await stack.callSubgraph('tenancy', query, variables, { accountId: w.accounts.viewer.id }))).toContain('FORBIDDEN');
    }
    expect((await stack.sql<{ status: string }>('select status from tenancy.cancellation where id = $1', [c.id]))[0]!.status).toBe('SUBMITTED');
  });

  it('NONE cannot even read a cancellation or search', async () => {
    const room = await w.room();
    const c = await fileOk(stack, w.accounts.clerk.token, filing(room.id));
    for (const [query, variables] of [[GET, { id: c.id }], ['{ cancellationTargets { totalCount } }', {}]] as [string, Json][]) {
      const r = await stack.gql(query, variables, { token: w.accounts.none.token });
      expect(codes(r)).toContain('FORBIDDEN');
      expect(r.body.data ?? null).toBeNull();
      expect(codes(await stack.callSubgraph('tenancy', query, variables, { accountId: w.accounts.none.id }))).toContain('FORBIDDEN');
    }
  });

  it("another member's cancellation behaves exactly like a missing one", async () => {
    const other = await cancellationWorld(stack, { notify: false });
    const room = await other.room();
    const theirs = await fileOk(stack, other.accounts.clerk.token, filing(room.id, { approvalsRequired: 1 }));
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(data(await stack.gql(GET, { id: theirs.id }, { token: w.accounts.clerk.token })).cancellation).toBeNull();
    for (const [query, vars] of [[APPROVE, {}], [DENY, { reason: 'x' }], [WITHDRAW, { confirm: true }]] as [string, Json][]) {
      const a = data(await stack.gql(query, { id: theirs.id, ...vars }, { token: w.accounts.approver1.token }));
      const b = data(await stack.gql(query, { id: missing, ...vars }, { token: w.accounts.approver1.token }));
      expect(Object.values(a)[0].userErrors).toEqual(Object.values(b)[0].userErrors);
      expect(Object.values(a)[0].userErrors.map((e: Json) => e.code)).toEqual(['NOT_FOUND']);
    }
    expect((await stack.sql<{ status: string }>('select status from tenancy.cancellation where id = $1', [theirs.id]))[0]!.status).toBe('AWAITING_APPROVAL');
  });
});

describe('audit trail (操作履歴)', () => {
  it('filing, approval, date change and withdrawal appear in the member audit trail, in the same transaction as the action', async () => {
    const x = await cancellationWorld(stack, { notify: false });
    const admin = await stack.seed.account(x.member.id, { admin: true });
    const adminToken = await stack.login(admin.loginId, admin.password);
    const room = await x.room();
    const c = await fileOk(stack, x.accounts.clerk.token, filing(room.id, { approvalsRequired: 1 }));
    expect(data(await stack.gql(APPROVE, { id: c.id }, { token: x.accounts.approver1.token })).approveCancellation.userErrors).toEqual([]);
    const change = await stack.gql('mutation($id: ID!) { changeCancellationDate(input: { cancellationId: $id, newDate: "2026-12-20" }) { outcome } }', { id: c.id }, { token: x.accounts.clerk.token });
    expect(data(change).changeCancellationDate.outcome).toBe('ACCEPTED');
    expect(data(await stack.gql(WITHDRAW, { id: c.id, confirm: true }, { token: x.accounts.clerk.token })).withdrawCancellation.outcome).toBe('ACCEPTED');
    // a refused filing leaves no record
    expect(data(await file(x.accounts.clerk.token, filing(room.id, { cancellationDate: '2026-11-17' }))).fileCancellation.userErrors).toHaveLength(1);

    const trail = data(await stack.gql('{ auditEvents(first: 50) { edges { node { action actorType targetType targetId details } } } }', {}, { token: adminToken })).auditEvents.edges.map((e: Json) => e.node);
    const mine = trail.filter((n: Json) => n.targetType === 'Cancellation').reverse();
    expect(mine.map((n: Json) => n.action)).toEqual(['CANCELLATION_FILED', 'CANCELLATION_APPROVED', 'CANCELLATION_DATE_CHANGE_REQUESTED', 'CANCELLATION_WITHDRAWAL_REQUESTED']);
    expect(mine.every((n: Json) => n.targetId === c.id && n.actorType === 'ACCOUNT')).toBe(true);
    expect(JSON.parse(mine[2].details)).toMatchObject({ newDate: '2026-12-20', outcome: 'ACCEPTED' });
  });
});
