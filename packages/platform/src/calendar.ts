/**
 * The Japanese business calendar (Asia/Tokyo), as pure functions.
 *
 * Calendar dates are `JstDate` strings ('YYYY-MM-DD', branded so a free-form string cannot slip in);
 * instants are plain `Date`s. Time zone arithmetic is date-fns + @date-fns/tz (`TZDate`), holidays
 * come from @holiday-jp/holiday_jp (national holidays incl. substitute holidays, to 2050).
 * A business day is a weekday that is not a national holiday; company closures (e.g. 12/29–1/3)
 * are not national holidays and are deliberately not part of this calendar.
 */
import { TZDate } from '@date-fns/tz';
import holidayJp from '@holiday-jp/holiday_jp';
import { addDays as addDaysFns, differenceInCalendarDays, format } from 'date-fns';

/** The IANA zone every portal date rule is evaluated in. */
export const JST_TIME_ZONE = 'Asia/Tokyo';

declare const jstDateBrand: unique symbol;

/** A calendar date in Japan, 'YYYY-MM-DD'. Build one with `jstDate()` or `jstDateOf()`. */
export type JstDate = string & { readonly [jstDateBrand]: true };

/** An hour and minute on the JST wall clock. */
export interface HourMinute {
  readonly hour: number;
  readonly minute: number;
}

/** A holiday's name in both portal languages. */
export interface HolidayName {
  readonly ja: string;
  readonly en: string;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MINUTE_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

const holidays: Readonly<Record<string, { name: string; name_en: string }>> = holidayJp.holidays;
const holidayYears = Object.keys(holidays).map((key) => Number(key.slice(0, 4)));
/** First and last year the bundled holiday data covers; outside it the calendar refuses to guess. */
export const HOLIDAY_DATA_YEARS = {
  first: Math.min(...holidayYears),
  last: Math.max(...holidayYears),
} as const;

/** Validates and brands a 'YYYY-MM-DD' string (throws RangeError on a malformed or impossible date). */
export function jstDate(value: string): JstDate {
  const match = DATE_PATTERN.exec(value);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(value)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new TZDate(year, month - 1, day, JST_TIME_ZONE);
  if (probe.getFullYear() !== year || probe.getMonth() !== month - 1 || probe.getDate() !== day) {
    throw new RangeError(`No such date: ${value}`);
  }
  return value as JstDate;
}

/** Builds a JstDate from numbers (month 1–12). */
export function jstDateFromParts(year: number, month: number, day: number): JstDate {
  return jstDate(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** Splits a JstDate into numbers (month 1–12). */
export function jstDateParts(date: JstDate): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** The calendar date in Japan at `instant` (e.g. 2025-01-01T15:00Z is already 2025-01-02 in JST). */
export function jstDateOf(instant: Date): JstDate {
  return format(new TZDate(instant.getTime(), JST_TIME_ZONE), 'yyyy-MM-dd') as JstDate;
}

/** The JST wall-clock hour and minute at `instant`. */
export function jstHourMinute(instant: Date): HourMinute {
  const zoned = new TZDate(instant.getTime(), JST_TIME_ZONE);
  return { hour: zoned.getHours(), minute: zoned.getMinutes() };
}

/** Day of the week in Japan, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: JstDate): number {
  return toZoned(date).getDay();
}

/** Whether `date` is a Saturday or Sunday. */
export function isWeekend(date: JstDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

/** Whether `date` is a national holiday (祝日, incl. 振替休日 and 国民の休日). */
export function isHoliday(date: JstDate): boolean {
  assertCovered(date);
  return Object.hasOwn(holidays, date);
}

/** The holiday's name (e.g. { ja: '勤労感謝の日 振替休日', en: … }), or null on an ordinary day. */
export function holidayName(date: JstDate): HolidayName | null {
  assertCovered(date);
  const holiday = Object.hasOwn(holidays, date) ? holidays[date] : undefined;
  return holiday ? { ja: holiday.name, en: holiday.name_en } : null;
}

/** Whether banks and the office work on `date`: not Saturday, Sunday or a national holiday. */
export function isBusinessDay(date: JstDate): boolean {
  return !isWeekend(date) && !isHoliday(date);
}

/** `date` plus `days` calendar days (negative goes back). */
export function addDays(date: JstDate, days: number): JstDate {
  assertInteger(days, 'days');
  return format(addDaysFns(toZoned(date), days), 'yyyy-MM-dd') as JstDate;
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: JstDate, to: JstDate): number {
  return differenceInCalendarDays(toZoned(to), toZoned(from));
}

/**
 * The n-th business day after `date` (n > 0) or before it (n < 0); `date` itself is never counted,
 * so it need not be a business day. n = 0 returns `date` unchanged.
 */
export function addBusinessDays(date: JstDate, n: number): JstDate {
  assertInteger(n, 'n');
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let current = date;
  while (remaining > 0) {
    current = addDays(current, step);
    if (isBusinessDay(current)) remaining -= 1;
  }
  return current;
}

/** `date` when it is a business day, else the first business day after it. */
export function nextBusinessDayOnOrAfter(date: JstDate): JstDate {
  let current = date;
  while (!isBusinessDay(current)) current = addDays(current, 1);
  return current;
}

/**
 * `date` when it is a business day, else the last business day before it. National business days by
 * default; pass `companyCalendar` where the year-end closure must be skipped too (a due date on 12/31).
 */
export function previousBusinessDayOnOrBefore(date: JstDate, calendar: BusinessCalendar = { isBusinessDay }): JstDate {
  let current = date;
  while (!calendar.isBusinessDay(current)) current = addDays(current, -1);
  return current;
}

/**
 * The n-th business day of a month (month 1–12): n = 1 is the first, n = -1 the last.
 * Throws RangeError when the month has fewer than |n| business days.
 */
export function nthBusinessDayOfMonth(year: number, month: number, n: number): JstDate {
  assertInteger(n, 'n');
  if (n === 0) throw new RangeError('nthBusinessDayOfMonth: n must not be 0');
  const first = jstDateFromParts(year, month, 1);
  const last = addDays(jstDateFromParts(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1);
  let current = n > 0 ? first : last;
  let remaining = Math.abs(n);
  for (;;) {
    if (isBusinessDay(current)) {
      remaining -= 1;
      if (remaining === 0) return current;
    }
    if (current === (n > 0 ? last : first)) {
      throw new RangeError(`${year}-${month} has fewer than ${Math.abs(n)} business days`);
    }
    current = addDays(current, n > 0 ? 1 : -1);
  }
}

/** The instant JST midnight begins `date` (the day before at 15:00 UTC). */
export function jstStartOfDay(date: JstDate): Date {
  return new Date(toZoned(date).getTime());
}

/** The instant it is `hour`:`minute` JST on `date`. */
export function jstInstant(date: JstDate, hour: number, minute: number): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour out of range: ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`minute out of range: ${minute}`);
  const { year, month, day } = jstDateParts(date);
  return new Date(new TZDate(year, month - 1, day, hour, minute, JST_TIME_ZONE).getTime());
}

/** Parses 'HH:MM' (00:00–23:59). */
export function parseHourMinute(value: string): HourMinute {
  const match = HOUR_MINUTE_PATTERN.exec(value);
  if (!match) throw new RangeError(`Not an HH:MM time: ${JSON.stringify(value)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * Whether `instant` falls in the JST window [from, to): start inclusive, end exclusive.
 * A window whose end is earlier than its start crosses midnight (20:00–08:00 holds 20:00 and 07:59,
 * not 08:00). from === to is rejected as ambiguous (empty or all day?).
 */
export function isWithinJstTimeWindow(instant: Date, from: string, to: string): boolean {
  const start = minutesOfDay(parseHourMinute(from));
  const end = minutesOfDay(parseHourMinute(to));
  if (start === end) throw new RangeError(`Empty/ambiguous time window ${from}–${to}`);
  const now = minutesOfDay(jstHourMinute(instant));
  return start < end ? now >= start && now < end : now >= start || now < end;
}

function minutesOfDay({ hour, minute }: HourMinute): number {
  return hour * 60 + minute;
}

function toZoned(date: JstDate): TZDate {
  const { year, month, day } = jstDateParts(date);
  return new TZDate(year, month - 1, day, JST_TIME_ZONE);
}

function assertCovered(date: JstDate): void {
  const { year } = jstDateParts(date);
  if (year < HOLIDAY_DATA_YEARS.first || year > HOLIDAY_DATA_YEARS.last) {
    // Guessing "no holiday" would silently turn holidays into business days.
    throw new RangeError(
      `No holiday data for ${year} (covered: ${HOLIDAY_DATA_YEARS.first}–${HOLIDAY_DATA_YEARS.last}); update @holiday-jp/holiday_jp`,
    );
  }
}

function assertInteger(value: number, name: string): void {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer: ${value}`);
}

// ---------------------------------------------------------------------------------------------
// The leasing company's own closure

/**
 * The year-end/new-year closure (年末年始休業), Dec 29 – Jan 3 inclusive: the one definition every
 * rule uses (cancellation dates are refused in it; billing does not count it as business days).
 */
export const YEAR_END_CLOSURE = { from: { month: 12, day: 29 }, to: { month: 1, day: 3 } } as const;

export function isYearEndClosure(date: JstDate): boolean {
  const { month, day } = jstDateParts(date);
  return (month === YEAR_END_CLOSURE.from.month && day >= YEAR_END_CLOSURE.from.day) || (month === YEAR_END_CLOSURE.to.month && day <= YEAR_END_CLOSURE.to.day);
}

/** What rules need to know about days; injected so rules stay pure and testable. */
export interface BusinessCalendar {
  isBusinessDay(date: JstDate): boolean;
}

/** The company's business days: weekdays that are neither national holidays nor in the year-end closure. */
export const companyCalendar: BusinessCalendar = {
  isBusinessDay: (date) => isBusinessDay(date) && !isYearEndClosure(date),
};
