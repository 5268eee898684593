import { describe, expect, it } from 'vitest';
import { jstDate } from '@portal/platform';
import { dateChangeViolations, decidePending, withdrawalViolations, type ChangeableState } from './cancellation-change.rule.ts';

const today = jstDate('2026-11-10');
const state = (o: Partial<ChangeableState> = {}): ChangeableState => ({
  status: 'SUBMITTED',
  cancellationDate: jstDate('2026-12-15'),
  dateChangeCount: 0,
  withdrawalCount: 0,
  leaseEnd: null,
  ...o,
});
const change = (newDate: string, o: { atWitnessRequest?: boolean; consent?: boolean } = {}) => ({ newDate: jstDate(newDate), atWitnessRequest: false, consent: false, ...o });
const codes = (v: { code: string }[]) => v.map((x) => x.code);

describe('dateChangeViolations (中途解約日変更)', () => {
  const cases: [string, ChangeableState, ReturnType<typeof change>, string[]][] = [
    ['first change to a date 8 days ahead', state(), change('2026-11-18'), []],
    ['new date exactly 7 days ahead', state(), change('2026-11-17'), ['DATE_WITHIN_7_DAYS']],
    ['new date Dec 29', state(), change('2026-12-29'), ['DATE_IN_YEAR_END_CLOSURE']],
    ['new date Jan 3', state(), change('2027-01-03'), ['DATE_IN_YEAR_END_CLOSURE']],
    ['new date Jan 4', state(), change('2027-01-04'), []],
    ['new date Dec 28', state(), change('2026-12-28'), []],
    ['same date', state(), change('2026-12-15'), ['DATE_UNCHANGED']],
    ['second change', state({ dateChangeCount: 1 }), change('2026-12-20'), ['DATE_CHANGE_ALREADY_USED']],
    ['second change after a withdrawal was refused', state({ status: 'CHANGE_ERROR', dateChangeCount: 1 }), change('2026-12-20'), ['DATE_CHANGE_ALREADY_USED']],
    ['a change after a refused withdrawal (変更エラー)', state({ status: 'CHANGE_ERROR', withdrawalCount: 1 }), change('2026-12-20'), ['CHANGE_NOT_ALLOWED']],
    ['while a request is pending', state({ status: 'CHANGE_PENDING', withdrawalCount: 1 }), change('2026-12-20'), ['CHANGE_PENDING']],
    ['awaiting approval', state({ status: 'AWAITING_APPROVAL' }), change('2026-12-20'), ['CHANGE_NOT_ALLOWED']],
    ['moved out', state({ status: 'MOVED_OUT' }), change('2026-12-20'), ['CHANGE_NOT_ALLOWED']],
    ['current date exactly 7 days ahead', state({ cancellationDate: jstDate('2026-11-17') }), change('2026-12-20'), ['CURRENT_DATE_WITHIN_7_DAYS']],
    ['current date 8 days ahead', state({ cancellationDate: jstDate('2026-11-18') }), change('2026-12-20'), []],
    ['at the witness\'s request without consent', state(), change('2026-12-20', { atWitnessRequest: true }), ['CONSENT_REQUIRED']],
    ['at the witness\'s request with consent', state(), change('2026-12-20', { atWitnessRequest: true, consent: true }), []],
    ['consent without a witness request is harmless', state(), change('2026-12-20', { consent: true }), []],
    ['after the lease end', state({ leaseEnd: jstDate('2027-03-31') }), change('2027-04-01'), ['DATE_AFTER_LEASE_END']],
  ];
  it.each(cases)('%s', (_name, s, input, expected) => {
    expect(codes(dateChangeViolations(s, input, today))).toEqual(expected);
  });
  it('names the field at fault', () => {
    expect(dateChangeViolations(state(), change('2026-11-17'), today)).toEqual([{ code: 'DATE_WITHIN_7_DAYS', field: 'input.newDate' }]);
    expect(dateChangeViolations(state(), change('2026-12-20', { atWitnessRequest: true }), today)).toEqual([{ code: 'CONSENT_REQUIRED', field: 'input.consent' }]);
  });
});

describe('withdrawalViolations (解約申し入れ取り消し)', () => {
  const cases: [string, ChangeableState, boolean, string[]][] = [
    ['first withdrawal, confirmed', state(), true, []],
    ['not confirmed', state(), false, ['CONFIRMATION_REQUIRED']],
    ['second withdrawal', state({ status: 'WITHDRAWN', withdrawalCount: 1 }), true, ['WITHDRAWAL_ALREADY_USED']],
    ['after a date change: still allowed once', state({ dateChangeCount: 1 }), true, []],
    ['current date exactly 7 days ahead', state({ cancellationDate: jstDate('2026-11-17') }), true, ['CURRENT_DATE_WITHIN_7_DAYS']],
    ['current date 8 days ahead', state({ cancellationDate: jstDate('2026-11-18') }), true, []],
    ['変更エラー', state({ status: 'CHANGE_ERROR', dateChangeCount: 1 }), true, ['CHANGE_NOT_ALLOWED']],
    ['pending', state({ status: 'CHANGE_PENDING', dateChangeCount: 1 }), true, ['CHANGE_PENDING']],
  ];
  it.each(cases)('%s', (_name, s, confirm, expected) => {
    expect(codes(withdrawalViolations(s, { confirm }, today))).toEqual(expected);
  });
});

describe('decidePending', () => {
  it('accepts a change or a withdrawal when the next lease is not decided', () => {
    expect(decidePending('DATE_CHANGE', false)).toEqual({ event: 'ACCEPT_CHANGE', refusal: null });
    expect(decidePending('WITHDRAWAL', false)).toEqual({ event: 'ACCEPT_WITHDRAWAL', refusal: null });
  });
  it('refuses either with 変更エラー when the next lease is decided', () => {
    expect(decidePending('DATE_CHANGE', true)).toEqual({ event: 'REFUSE_CHANGE', refusal: 'NEXT_LEASE_DECIDED' });
    expect(decidePending('WITHDRAWAL', true)).toEqual({ event: 'REFUSE_CHANGE', refusal: 'NEXT_LEASE_DECIDED' });
  });
});
