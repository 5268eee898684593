/**
 * The life of a mid-term cancellation (中途解約) as a state machine. The statuses the manual shows
 * (解約受付, 中途解約日変更（取消）受付中, 変更エラー, 退去済) plus the approval flow's own
 * (承認待ち, 否認) and the end of a withdrawal (取消済). Only the transitions listed here exist;
 * the service asks `transition()` before every status write, so an illegal one cannot be stored.
 */
export const CANCELLATION_STATUSES = ['AWAITING_APPROVAL', 'DENIED', 'SUBMITTED', 'CHANGE_PENDING', 'CHANGE_ERROR', 'WITHDRAWN', 'MOVED_OUT'] as const;
export type CancellationStatus = (typeof CANCELLATION_STATUSES)[number];

export const STATUS_LABELS: Record<CancellationStatus, { en: string; ja: string }> = {
  AWAITING_APPROVAL: { en: 'Awaiting approval', ja: '承認待ち' },
  DENIED: { en: 'Denied', ja: '否認' },
  SUBMITTED: { en: 'Cancellation received', ja: '解約受付' },
  CHANGE_PENDING: { en: 'Date change (withdrawal) being processed', ja: '中途解約日変更（取消）受付中' },
  CHANGE_ERROR: { en: 'Change refused', ja: '変更エラー' },
  WITHDRAWN: { en: 'Withdrawn', ja: '解約取消済' },
  MOVED_OUT: { en: 'Moved out', ja: '退去済' },
};

/** Statuses in which the room counts as being cancelled: a second filing for it is refused. */
export const LIVE_STATUSES: readonly CancellationStatus[] = ['AWAITING_APPROVAL', 'SUBMITTED', 'CHANGE_PENDING', 'CHANGE_ERROR', 'MOVED_OUT'];
/** Statuses that end the cancellation (nothing can happen afterwards). */
export const FINAL_STATUSES: readonly CancellationStatus[] = ['DENIED', 'WITHDRAWN', 'MOVED_OUT'];

export type CancellationEvent =
  /** Filed with 0 approvals required: submitted to the company at once. */
  | 'FILE'
  /** Filed with n > 0 approvals required. */
  | 'FILE_FOR_APPROVAL'
  /** An approval that is not the last one. */
  | 'APPROVE'
  /** The last approval: submitted. */
  | 'APPROVE_LAST'
  | 'DENY'
  /** The request is taken back before it reached the company (while awaiting approval). */
  | 'WITHDRAW_UNSUBMITTED'
  /** 中途解約日変更 entered: pending until decided (at once in the daytime, after 8:00 at night). */
  | 'REQUEST_CHANGE'
  /** 解約申し入れ取り消し entered: pending likewise. */
  | 'REQUEST_WITHDRAWAL'
  | 'ACCEPT_CHANGE'
  | 'ACCEPT_WITHDRAWAL'
  /** The company refused the change or withdrawal (next lease already decided): 変更エラー. */
  | 'REFUSE_CHANGE'
  /** The operator records the move-out. */
  | 'MOVE_OUT';

/** `null` stands for "no cancellation yet". */
const TRANSITIONS: Record<CancellationEvent, { from: readonly (CancellationStatus | null)[]; to: CancellationStatus }> = {
  FILE: { from: [null], to: 'SUBMITTED' },
  FILE_FOR_APPROVAL: { from: [null], to: 'AWAITING_APPROVAL' },
  APPROVE: { from: ['AWAITING_APPROVAL'], to: 'AWAITING_APPROVAL' },
  APPROVE_LAST: { from: ['AWAITING_APPROVAL'], to: 'SUBMITTED' },
  DENY: { from: ['AWAITING_APPROVAL'], to: 'DENIED' },
  WITHDRAW_UNSUBMITTED: { from: ['AWAITING_APPROVAL'], to: 'WITHDRAWN' },
  REQUEST_CHANGE: { from: ['SUBMITTED'], to: 'CHANGE_PENDING' },
  REQUEST_WITHDRAWAL: { from: ['SUBMITTED'], to: 'CHANGE_PENDING' },
  ACCEPT_CHANGE: { from: ['CHANGE_PENDING'], to: 'SUBMITTED' },
  ACCEPT_WITHDRAWAL: { from: ['CHANGE_PENDING'], to: 'WITHDRAWN' },
  REFUSE_CHANGE: { from: ['CHANGE_PENDING'], to: 'CHANGE_ERROR' },
  MOVE_OUT: { from: ['SUBMITTED', 'CHANGE_ERROR'], to: 'MOVED_OUT' },
};

/** The status after `event`, or null when the event is not legal in status `from`. */
export function transition(from: CancellationStatus | null, event: CancellationEvent): CancellationStatus | null {
  const t = TRANSITIONS[event];
  return t.from.includes(from) ? t.to : null;
}

/** Every legal (from, event, to), for documentation and tests. */
export function legalTransitions(): { from: CancellationStatus | null; event: CancellationEvent; to: CancellationStatus }[] {
  return (Object.entries(TRANSITIONS) as [CancellationEvent, (typeof TRANSITIONS)[CancellationEvent]][]).flatMap(([event, t]) => t.from.map((from) => ({ from, event, to: t.to })));
}

export function isCancellationStatus(value: string): value is CancellationStatus {
  return (CANCELLATION_STATUSES as readonly string[]).includes(value);
}
