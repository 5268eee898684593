import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addDays,
  dayOfWeek,
  daysBetween,
  HOLIDAY_DATA_YEARS,
  holidayName,
  isBusinessDay,
  isHoliday,
  isWithinJstTimeWindow,
  jstDate,
  jstDateFromParts,
  jstDateOf,
  jstHourMinute,
  jstInstant,
  jstStartOfDay,
  nextBusinessDayOnOrAfter,
  nthBusinessDayOfMonth,
  parseHourMinute,
  previousBusinessDayOnOrBefore,
} from './calendar.ts';
import { companyCalendar, isYearEndClosure } from './calendar.ts';

const d = jstDate;

describe('jstDate', () => {
  it.each(['2024-02-29', '2025-12-31', '2025-01-01'])('accepts %s', (value) => {
    expect(jstDate(value)).toBe(value);
  });
  it.each(['2025-02-29', '2025-13-01', '2025-04-31', '2025-1-1', '20250101', ''])('rejects %j', (value) => {
    expect(() => jstDate(value)).toThrow(RangeError);
  });
  it('builds from parts with zero padding', () => {
    expect(jstDateFromParts(2025, 5, 6)).toBe('2025-05-06');
  });
});

describe('jstDateOf / jstHourMinute (instant → JST wall clock)', () => {
  it.each([
    ['2025-01-01T14:59:59.999Z', '2025-01-01', 23, 59],
    ['2025-01-01T15:00:00.000Z', '2025-01-02', 0, 0],
    ['2024-02-28T15:00:00.000Z', '2024-02-29', 0, 0],
    ['2024-12-31T14:59:00.000Z', '2024-12-31', 23, 59],
    ['2024-12-31T15:00:00.000Z', '2025-01-01', 0, 0],
    ['2025-06-30T23:00:00.000Z', '2025-07-01', 8, 0],
  ])('%s is %s %s:%s in Tokyo', (iso, date, hour, minute) => {
    const instant = new Date(iso);
    expect(jstDateOf(instant)).toBe(date);
    expect(jstHourMinute(instant)).toEqual({ hour, minute });
  });
});

describe('holidays and business days', () => {
  it.each([
    // date, holiday?, business day?, Japanese name
    ['2025-01-01', true, false, '元日'],
    ['2025-01-02', false, true, null], // company closures are not national holidays
    ['2025-01-13', true, false, '成人の日'],
    ['2025-04-29', true, false, '昭和の日'],
    ['2025-04-30', false, true, null],
    ['2025-05-03', true, false, '憲法記念日'], // a Saturday holiday
    ['2025-05-05', true, false, 'こどもの日'],
    ['2025-05-06', true, false, 'こどもの日 振替休日'], // 5/4 fell on a Sunday (the data's naming)
    ['2025-05-07', false, true, null],
    ['2025-11-23', true, false, '勤労感謝の日'], // Sunday
    ['2025-11-24', true, false, '勤労感謝の日 振替休日'], // substitute holiday (Monday)
    ['2025-11-22', false, false, null], // an ordinary Saturday
    ['2025-11-25', false, true, null],
    ['2026-05-06', true, false, 'こどもの日 振替休日'], // 5/3 fell on a Sunday
    ['2026-09-22', true, false, '休日'], // 国民の休日: sandwiched between two holidays
    ['2024-02-29', false, true, null], // leap day, a Thursday
  ] as const)('%s: holiday=%s business=%s (%s)', (date, holiday, business, name) => {
    expect(isHoliday(d(date))).toBe(holiday);
    expect(isBusinessDay(d(date))).toBe(business);
    expect(holidayName(d(date))?.ja ?? null).toBe(name);
  });

  it('gives English names too', () => {
    expect(holidayName(d('2025-01-01'))).toEqual({ ja: '元日', en: "New Year's Day" });
  });

  it('refuses to guess outside the bundled holiday data', () => {
    expect(HOLIDAY_DATA_YEARS.last).toBeGreaterThanOrEqual(2050);
    expect(() => isBusinessDay(jstDateFromParts(HOLIDAY_DATA_YEARS.last + 1, 1, 5))).toThrow(/No holiday data/);
  });

  it('knows the day of the week in Japan', () => {
    expect(dayOfWeek(d('2025-11-22'))).toBe(6);
    expect(dayOfWeek(d('2025-11-23'))).toBe(0);
  });
});

describe('addBusinessDays', () => {
  it.each([
    ['2025-04-25', 1, '2025-04-28'], // Fri → Mon
    ['2025-04-28', 1, '2025-04-30'], // over Showa Day
    ['2025-05-02', 1, '2025-05-07'], // over Golden Week (5/3–5/6)
    ['2025-05-07', -1, '2025-05-02'],
    ['2025-05-03', 1, '2025-05-07'], // start on a holiday: it is not counted
    ['2025-05-03', -1, '2025-05-02'],
    ['2025-11-21', 1, '2025-11-25'], // over Sat, Sun and the substitute holiday
    ['2025-11-25', -1, '2025-11-21'],
    ['2024-12-27', 1, '2024-12-30'],
    ['2024-12-30', 1, '2024-12-31'], // 12/31 is a business day by the national calendar
    ['2024-12-31', 1, '2025-01-02'], // over New Year's Day
    ['2025-01-02', -2, '2024-12-30'],
    ['2025-01-31', 1, '2025-02-03'], // month end on a Friday
    ['2024-02-28', 1, '2024-02-29'], // leap day counts
    ['2025-05-02', 0, '2025-05-02'],
    ['2025-05-03', 0, '2025-05-03'],
    ['2025-04-01', 20, '2025-04-30'],
  ] as const)('%s by %s → %s', (from, n, expected) => {
    expect(addBusinessDays(d(from), n)).toBe(expected);
  });
  it('rejects fractional counts', () => {
    expect(() => addBusinessDays(d('2025-05-02'), 1.5)).toThrow(RangeError);
  });
});

describe('nextBusinessDayOnOrAfter / previousBusinessDayOnOrBefore', () => {
  it.each([
    ['2025-05-02', '2025-05-02', '2025-05-02'],
    ['2025-05-03', '2025-05-07', '2025-05-02'],
    ['2025-11-22', '2025-11-25', '2025-11-21'],
    ['2025-01-01', '2025-01-02', '2024-12-31'],
    ['2024-12-28', '2024-12-30', '2024-12-27'],
  ] as const)('%s → next %s, previous %s', (date, next, previous) => {
    expect(nextBusinessDayOnOrAfter(d(date))).toBe(next);
    expect(previousBusinessDayOnOrBefore(d(date))).toBe(previous);
  });
});

describe('nthBusinessDayOfMonth', () => {
  it.each([
    [2025, 1, 1, '2025-01-02'], // 1/1 holiday
    [2025, 1, 2, '2025-01-03'],
    [2025, 5, 1, '2025-05-01'],
    [2025, 5, 2, '2025-05-02'],
    [2025, 5, 3, '2025-05-07'], // Golden Week skipped
    [2025, 5, -1, '2025-05-30'], // 5/31 is a Saturday
    [2025, 11, -1, '2025-11-28'],
    [2025, 11, 1, '2025-11-04'], // 11/3 Culture Day
    [2025, 11, 14, '2025-11-21'],
    [2025, 11, 15, '2025-11-25'], // substitute holiday 11/24 skipped
    [2024, 2, -1, '2024-02-29'], // leap day
    [2025, 12, -1, '2025-12-31'],
    [2026, 1, 1, '2026-01-02'],
  ] as const)('%s-%s #%s → %s', (year, month, n, expected) => {
    expect(nthBusinessDayOfMonth(year, month, n)).toBe(expected);
  });
  it('throws when the month has too few business days', () => {
    expect(() => nthBusinessDayOfMonth(2025, 2, 30)).toThrow(RangeError);
    expect(() => nthBusinessDayOfMonth(2025, 2, 0)).toThrow(RangeError);
  });
});

describe('addDays / daysBetween', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-31', -31, '2025-02-28'],
    ['2025-01-01', 14, '2025-01-15'],
  ] as const)('%s by %s days → %s', (from, days, expected) => {
    expect(addDays(d(from), days)).toBe(expected);
    expect(daysBetween(d(from), d(expected))).toBe(days);
  });
  it('counts across a leap year', () => {
    expect(daysBetween(d('2024-01-01'), d('2025-01-01'))).toBe(366);
    expect(daysBetween(d('2025-01-01'), d('2026-01-01'))).toBe(365);
  });
});

describe('JST instants', () => {
  it.each([
    ['2025-01-01', '2024-12-31T15:00:00.000Z'],
    ['2024-02-29', '2024-02-28T15:00:00.000Z'],
    ['2025-07-01', '2025-06-30T15:00:00.000Z'],
  ] as const)('%s starts at %s', (date, iso) => {
    expect(jstStartOfDay(d(date)).toISOString()).toBe(iso);
  });
  it.each([
    ['2025-04-01', 8, 0, '2025-03-31T23:00:00.000Z'],
    ['2025-04-01', 9, 0, '2025-04-01T00:00:00.000Z'],
    ['2025-04-01', 23, 59, '2025-04-01T14:59:00.000Z'],
    ['2024-02-29', 0, 0, '2024-02-28T15:00:00.000Z'],
  ] as const)('%s %s:%s JST is %s', (date, hour, minute, iso) => {
    const instant = jstInstant(d(date), hour, minute);
    expect(instant.toISOString()).toBe(iso);
    expect(jstDateOf(instant)).toBe(date);
    expect(jstHourMinute(instant)).toEqual({ hour, minute });
  });
  it('rejects impossible times', () => {
    expect(() => jstInstant(d('2025-04-01'), 24, 0)).toThrow(RangeError);
    expect(() => jstInstant(d('2025-04-01'), 8, 60)).toThrow(RangeError);
  });
});

describe('isWithinJstTimeWindow', () => {
  const at = (hhmm: string, date = '2025-04-01') => {
    const { hour, minute } = parseHourMinute(hhmm);
    return jstInstant(d(date), hour, minute);
  };
  it.each([
    // window crossing midnight
    ['20:00', '08:00', '19:59', false],
    ['20:00', '08:00', '20:00', true],
    ['20:00', '08:00', '23:59', true],
    ['20:00', '08:00', '00:00', true],
    ['20:00', '08:00', '07:59', true],
    ['20:00', '08:00', '08:00', false],
    ['20:00', '08:00', '12:00', false],
    // same-day window
    ['09:00', '17:30', '08:59', false],
    ['09:00', '17:30', '09:00', true],
    ['09:00', '17:30', '17:29', true],
    ['09:00', '17:30', '17:30', false],
    ['00:00', '08:00', '00:00', true],
    ['00:00', '08:00', '08:00', false],
  ] as const)('%s–%s at %s → %s', (from, to, time, expected) => {
    expect(isWithinJstTimeWindow(at(time), from, to)).toBe(expected);
  });
  it('judges by JST, not by the UTC clock (08:00 JST is 23:00 UTC the day before)', () => {
    expect(isWithinJstTimeWindow(new Date('2025-03-31T22:59:00Z'), '20:00', '08:00')).toBe(true);
    expect(isWithinJstTimeWindow(new Date('2025-03-31T23:00:00Z'), '20:00', '08:00')).toBe(false);
  });
  it.each([
    ['8:00', '20:00'],
    ['24:00', '08:00'],
    ['20:00', '20:00'],
  ])('rejects %s–%s', (from, to) => {
    expect(() => isWithinJstTimeWindow(at('12:00'), from, to)).toThrow(RangeError);
  });
});

describe('year-end closure (Dec 29 - Jan 3), defined once', () => {
  it.each([
    ['2026-12-28', false],
    ['2026-12-29', true],
    ['2026-12-31', true],
    ['2027-01-01', true],
    ['2027-01-03', true],
    ['2027-01-04', false],
  ] as const)('%s in the closure: %s', (date, expected) => {
    expect(isYearEndClosure(jstDate(date))).toBe(expected);
  });

  it('is not a company business day even on a weekday (2026-12-29 is a Tuesday)', () => {
    expect(isBusinessDay(jstDate('2026-12-29'))).toBe(true);
    expect(companyCalendar.isBusinessDay(jstDate('2026-12-29'))).toBe(false);
    expect(companyCalendar.isBusinessDay(jstDate('2027-01-04'))).toBe(true);
  });
});
