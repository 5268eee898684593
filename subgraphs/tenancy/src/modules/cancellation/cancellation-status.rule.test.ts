import { describe, expect, it } from 'vitest';
import { CANCELLATION_STATUSES, legalTransitions, transition, type CancellationEvent, type CancellationStatus } from './cancellation-status.rule.ts';

const EVENTS: CancellationEvent[] = [
  'FILE', 'FILE_FOR_APPROVAL', 'APPROVE', 'APPROVE_LAST', 'DENY', 'WITHDRAW_UNSUBMITTED', 'REQUEST_CHANGE', 'REQUEST_WITHDRAWAL',
  'ACCEPT_CHANGE', 'ACCEPT_WITHDRAWAL', 'REFUSE_CHANGE', 'MOVE_OUT',
];

/** The whole table, written out by hand from the manual: (from, event) → to; every other pair is illegal. */
const LEGAL: [CancellationStatus | null, CancellationEvent, CancellationStatus][] = [
  [null, 'FILE', 'SUBMITTED'],
  [null, 'FILE_FOR_APPROVAL', 'AWAITING_APPROVAL'],
  ['AWAITING_APPROVAL', 'APPROVE', 'AWAITING_APPROVAL'],
  ['AWAITING_APPROVAL', 'APPROVE_LAST', 'SUBMITTED'],
  ['AWAITING_APPROVAL', 'DENY', 'DENIED'],
  ['AWAITING_APPROVAL', 'WITHDRAW_UNSUBMITTED', 'WITHDRAWN'],
  ['SUBMITTED', 'REQUEST_CHANGE', 'CHANGE_PENDING'],
  ['SUBMITTED', 'REQUEST_WITHDRAWAL', 'CHANGE_PENDING'],
  ['CHANGE_PENDING', 'ACCEPT_CHANGE', 'SUBMITTED'],
  ['CHANGE_PENDING', 'ACCEPT_WITHDRAWAL', 'WITHDRAWN'],
  ['CHANGE_PENDING', 'REFUSE_CHANGE', 'CHANGE_ERROR'],
  ['SUBMITTED', 'MOVE_OUT', 'MOVED_OUT'],
  ['CHANGE_ERROR', 'MOVE_OUT', 'MOVED_OUT'],
];

describe('cancellation status machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  const all: (CancellationStatus | null)[] = [null, ...CANCELLATION_STATUSES];
  const illegal = all.flatMap((from) => EVENTS.filter((event) => !LEGAL.some(([f, e]) => f === from && e === event)).map((event) => [from, event] as const));
  it.each(illegal)('%s --%s--> refused', (from, event) => {
    expect(transition(from, event)).toBeNull();
  });

  it('lists exactly the legal transitions', () => {
    expect(legalTransitions().map((t) => [t.from, t.event, t.to]).sort()).toEqual([...LEGAL].sort());
  });

  it('final statuses have no way out', () => {
    for (const from of ['DENIED', 'WITHDRAWN', 'MOVED_OUT'] as const) for (const e of EVENTS) expect(transition(from, e)).toBeNull();
  });

  it('変更エラー cannot be changed or withdrawn again (FAQ 退室関連)', () => {
    expect(transition('CHANGE_ERROR', 'REQUEST_CHANGE')).toBeNull();
    expect(transition('CHANGE_ERROR', 'REQUEST_WITHDRAWAL')).toBeNull();
  });
});
