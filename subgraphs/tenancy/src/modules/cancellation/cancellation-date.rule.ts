/**
 * Date and time rules of mid-term cancellation (manual pp. 9-13), as pure functions of the JST
 * calendar date or instant they are given. Nothing here reads the clock.
 */
import { addDays, daysBetween, isWithinJstTimeWindow, isYearEndClosure, jstDateOf, jstHourMinute, jstInstant, type JstDate } from '@portal/platform';

/**
 * "7日以内または年末年始の解約は受付できません": a date d days after today is "within 7 days" when
 * d <= 7, so today + 7 is refused and today + 8 is the earliest date accepted. Today and past dates
 * are refused with the same code.
 */
export const DAYS_WITHIN = 7;

export type DateViolation = 'DATE_WITHIN_7_DAYS' | 'DATE_IN_YEAR_END_CLOSURE' | 'DATE_AFTER_LEASE_END';

/** Whether `date` is within 7 days of `today` (or before it). */
export function isWithin7Days(date: JstDate, today: JstDate): boolean {
  return daysBetween(today, date) <= DAYS_WITHIN;
}

/**
 * The first date a cancellation filed today may name: today + 8, moved past the year-end closure
 * when it falls inside it (filed Dec 21-26 → Jan 4), so it passes every date rule of
 * `cancellationDateViolations` except the lease's own end, which a preview reports on its own.
 * A client can pre-fill it safely.
 */
export function earliestCancellationDate(today: JstDate): JstDate {
  let date = addDays(today, DAYS_WITHIN + 1);
  while (isYearEndClosure(date)) date = addDays(date, 1);
  return date;
}

/**
 * Every rule a (new) cancellation date must pass: not within 7 days of today, not in the
 * year-end/new-year closure (`isYearEndClosure`, the one definition: Dec 29 - Jan 3), and not after
 * the lease's end when the lease has one. Returns all violations, not just the first.
 */
export function cancellationDateViolations(date: JstDate, today: JstDate, leaseEnd: JstDate | null): DateViolation[] {
  const out: DateViolation[] = [];
  if (isWithin7Days(date, today)) out.push('DATE_WITHIN_7_DAYS');
  if (isYearEndClosure(date)) out.push('DATE_IN_YEAR_END_CLOSURE');
  if (leaseEnd && date > leaseEnd) out.push('DATE_AFTER_LEASE_END');
  return out;
}

export interface PenaltyTerms {
  penaltyUntil: JstDate | null;
  penaltyAmount: number | null;
}

export interface PenaltyWarning {
  penaltyUntil: JstDate;
  /** Yen, when the lease carries the amount. */
  amount: number | null;
}

/**
 * The early-termination penalty (短期解約違約金): "2015/7/16借の場合、2016/3/31解約までは違約金発生",
 * so a cancellation ON the last day of the period still incurs it; the day after does not.
 */
export function penaltyWarning(date: JstDate, terms: PenaltyTerms): PenaltyWarning | null {
  if (!terms.penaltyUntil || date > terms.penaltyUntil) return null;
  return { penaltyUntil: terms.penaltyUntil, amount: terms.penaltyAmount };
}

/**
 * 20:00-8:00 JST: a change or withdrawal entered then cannot be checked at once; it is accepted as
 * pending and decided after 8:00. 20:00 and 07:59 are in the window, 19:59 and 08:00 are not.
 */
export const NIGHT_WINDOW = { from: '20:00', to: '08:00' } as const;
export const DECISION_HOUR = 8;

export function isNightWindow(instant: Date): boolean {
  return isWithinJstTimeWindow(instant, NIGHT_WINDOW.from, NIGHT_WINDOW.to);
}

/** When a request entered at `instant` (in the night window) is decided: the next 08:00 JST. */
export function decisionTime(instant: Date): Date {
  const today = jstDateOf(instant);
  const { hour } = jstHourMinute(instant);
  return jstInstant(hour < DECISION_HOUR ? today : addDays(today, 1), DECISION_HOUR, 0);
}

/**
 * The search's default move-out range, "過去3カ月（入居中を含む）": from the same day three calendar
 * months back (clamped to the month's last day: May 31 → Feb 28/29), open-ended, occupied rooms included.
 */
export const DEFAULT_MOVE_OUT_MONTHS = 3;

export function monthsBefore(date: JstDate, months: number): JstDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}` as JstDate;
}

export function defaultMoveOutFrom(today: JstDate): JstDate {
  return monthsBefore(today, DEFAULT_MOVE_OUT_MONTHS);
}
