/**
 * Change of date (中途解約日変更) and withdrawal (解約申し入れ取り消し): who may ask, and how the
 * company decides. Pure: the caller passes the cancellation's state and today's JST date.
 */
import type { JstDate } from '@portal/platform';
import { cancellationDateViolations, isWithin7Days, type DateViolation } from './cancellation-date.rule.ts';
import type { CancellationEvent, CancellationStatus } from './cancellation-status.rule.ts';

export interface ChangeableState {
  status: CancellationStatus;
  cancellationDate: JstDate;
  dateChangeCount: number;
  withdrawalCount: number;
  leaseEnd: JstDate | null;
}

export type ChangeViolation =
  | DateViolation
  | 'DATE_CHANGE_ALREADY_USED'
  | 'WITHDRAWAL_ALREADY_USED'
  | 'CURRENT_DATE_WITHIN_7_DAYS'
  | 'CHANGE_PENDING'
  | 'CHANGE_NOT_ALLOWED'
  | 'DATE_UNCHANGED'
  | 'CONSENT_REQUIRED'
  | 'CONFIRMATION_REQUIRED';

export interface Violation<C extends string = ChangeViolation> {
  code: C;
  field: string | null;
}

/** Why the cancellation as a whole cannot take a change/withdrawal now (status, once-only, 7 days). */
function stateViolations(state: ChangeableState, today: JstDate, used: 'DATE_CHANGE_ALREADY_USED' | 'WITHDRAWAL_ALREADY_USED', count: number): Violation[] {
  // "各1回まで": the once-only answer comes first, whatever the status the first request led to.
  if (count >= 1) return [{ code: used, field: null }];
  if (state.status === 'CHANGE_PENDING') return [{ code: 'CHANGE_PENDING', field: null }];
  // 変更エラー, awaiting approval, denied, withdrawn, moved out: the manual allows neither.
  if (state.status !== 'SUBMITTED') return [{ code: 'CHANGE_NOT_ALLOWED', field: null }];
  // "7日以内の場合は変更ができません": the move-out (room check) is too close to move or cancel.
  if (isWithin7Days(state.cancellationDate, today)) return [{ code: 'CURRENT_DATE_WITHIN_7_DAYS', field: null }];
  return [];
}

/**
 * A change of date may be entered when: it is the first change; the cancellation is 解約受付;
 * the current date is more than 7 days away; the new date passes the filing rules (not within
 * 7 days, not in the year-end closure, not after the lease end) and differs from the current one;
 * and, when the date moves at the witness's request, the consent box is ticked.
 */
export function dateChangeViolations(
  state: ChangeableState,
  input: { newDate: JstDate; atWitnessRequest: boolean; consent: boolean },
  today: JstDate,
): Violation[] {
  const blocked = stateViolations(state, today, 'DATE_CHANGE_ALREADY_USED', state.dateChangeCount);
  if (blocked.length) return blocked;
  const out: Violation[] = cancellationDateViolations(input.newDate, today, state.leaseEnd).map((code) => ({ code, field: 'input.newDate' }));
  if (input.newDate === state.cancellationDate) out.push({ code: 'DATE_UNCHANGED', field: 'input.newDate' });
  if (input.atWitnessRequest && !input.consent) out.push({ code: 'CONSENT_REQUIRED', field: 'input.consent' });
  return out;
}

/** A withdrawal: the same constraints as a change (once, 解約受付, not within 7 days) plus the confirmation. */
/** Whether the cancellation as a whole can take a change (or a withdrawal) today: the screen's button state. */
export function requestBlockers(state: ChangeableState, today: JstDate, kind: PendingKind): Violation[] {
  return kind === 'DATE_CHANGE'
    ? stateViolations(state, today, 'DATE_CHANGE_ALREADY_USED', state.dateChangeCount)
    : stateViolations(state, today, 'WITHDRAWAL_ALREADY_USED', state.withdrawalCount);
}

export function withdrawalViolations(state: ChangeableState, input: { confirm: boolean }, today: JstDate): Violation[] {
  const blocked = stateViolations(state, today, 'WITHDRAWAL_ALREADY_USED', state.withdrawalCount);
  if (blocked.length) return blocked;
  return input.confirm ? [] : [{ code: 'CONFIRMATION_REQUIRED', field: 'input.confirm' }];
}

export type PendingKind = 'DATE_CHANGE' | 'WITHDRAWAL';

/**
 * The company's decision on a pending change/withdrawal: refused (変更エラー) when the next lease
 * for the room is already decided, accepted otherwise.
 */
export function decidePending(kind: PendingKind, nextLeaseDecided: boolean): { event: CancellationEvent; refusal: 'NEXT_LEASE_DECIDED' | null } {
  if (nextLeaseDecided) return { event: 'REFUSE_CHANGE', refusal: 'NEXT_LEASE_DECIDED' };
  return { event: kind === 'DATE_CHANGE' ? 'ACCEPT_CHANGE' : 'ACCEPT_WITHDRAWAL', refusal: null };
}
