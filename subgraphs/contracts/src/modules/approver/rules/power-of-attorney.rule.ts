/**
 * Power-of-attorney (委任状) validity periods. Dates are `YYYY-MM-DD` calendar dates (Asia/Tokyo).
 *
 * "最大3年" (at most 3 years) is read the way the manual's own example reads it and the way Japanese
 * civil law counts a period of years (民法 第140条・第143条): a period starting on 2024/03/06 lasts
 * 3 years until 2027/03/05, the day BEFORE the same date three years later (the manual's approver
 * list shows exactly "2024/03/06 ~ 2027/03/05"). When that same date does not exist (a start on
 * 29 February and a non-leap year), the period ends on the last day of that month (民法 第143条2項):
 * 2024/02/29 → 2027/02/28. Both ends are inclusive; a one-day period (from = to) is allowed.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_YEARS = 3;

/** The last valid `to` for a power of attorney starting on `from`. */
export function lastPowerOfAttorneyDay(from: string): string {
  const [year, month, day] = parts(from);
  const targetYear = year + MAX_YEARS;
  const daysInTargetMonth = new Date(Date.UTC(targetYear, month, 0)).getUTCDate();
  if (day > daysInTargetMonth) return format(targetYear, month, daysInTargetMonth);
  const sameDate = Date.UTC(targetYear, month - 1, day);
  const dayBefore = new Date(sameDate - 86_400_000);
  return format(dayBefore.getUTCFullYear(), dayBefore.getUTCMonth() + 1, dayBefore.getUTCDate());
}

/** Whether `from`–`to` is a valid power-of-attorney period: real dates, from ≤ to, at most 3 years. */
export function isPowerOfAttorneyPeriodValid(from: string, to: string): boolean {
  if (!isCalendarDate(from) || !isCalendarDate(to)) return false;
  return from <= to && to <= lastPowerOfAttorneyDay(from);
}

/** An expired power of attorney (the day after `to`) needs a new registration (manual: 決裁者情報管理). */
export function isPowerOfAttorneyExpiredOn(validTo: string, today: string): boolean {
  return today > validTo;
}

function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function parts(value: string): [number, number, number] {
  const m = DATE.exec(value);
  if (!m || !isCalendarDate(value)) throw new RangeError(`not a calendar date: ${value}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
