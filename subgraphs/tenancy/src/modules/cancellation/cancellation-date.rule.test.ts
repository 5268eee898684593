import { describe, expect, it } from 'vitest';
import { jstDate } from '@portal/platform';
import { cancellationDateViolations, decisionTime, defaultMoveOutFrom, earliestCancellationDate, isNightWindow, penaltyWarning } from './cancellation-date.rule.ts';

const d = jstDate;

describe('cancellationDateViolations: 7日以内または年末年始の解約は受付できません', () => {
  const today = d('2026-11-10');
  const cases: [string, string, string, string[]][] = [
    ['yesterday', '2026-11-10', '2026-11-09', ['DATE_WITHIN_7_DAYS']],
    ['today', '2026-11-10', '2026-11-10', ['DATE_WITHIN_7_DAYS']],
    ['tomorrow', '2026-11-10', '2026-11-11', ['DATE_WITHIN_7_DAYS']],
    ['exactly 7 days ahead: within 7 days', '2026-11-10', '2026-11-17', ['DATE_WITHIN_7_DAYS']],
    ['8 days ahead: the earliest accepted', '2026-11-10', '2026-11-18', []],
    ['a month ahead', '2026-11-10', '2026-12-10', []],
    ['7 days ahead across a month end', '2026-11-24', '2026-12-01', ['DATE_WITHIN_7_DAYS']],
    ['8 days ahead across a month end', '2026-11-24', '2026-12-02', []],
    ['Dec 28: last day before the closure', '2026-11-10', '2026-12-28', []],
    ['Dec 29: first day of the closure', '2026-11-10', '2026-12-29', ['DATE_IN_YEAR_END_CLOSURE']],
    ['Dec 31', '2026-11-10', '2026-12-31', ['DATE_IN_YEAR_END_CLOSURE']],
    ['Jan 1', '2026-11-10', '2027-01-01', ['DATE_IN_YEAR_END_CLOSURE']],
    ['Jan 3: last day of the closure', '2026-11-10', '2027-01-03', ['DATE_IN_YEAR_END_CLOSURE']],
    ['Jan 4: first day after the closure', '2026-11-10', '2027-01-04', []],
    ['both: within 7 days and in the closure', '2026-12-25', '2026-12-30', ['DATE_WITHIN_7_DAYS', 'DATE_IN_YEAR_END_CLOSURE']],
    ['8 days ahead but Jan 2', '2026-12-25', '2027-01-02', ['DATE_IN_YEAR_END_CLOSURE']],
    ['leap day, 8 days ahead', '2028-02-21', '2028-02-29', []],
  ];
  it.each(cases)('%s', (_name, t, date, expected) => {
    expect(cancellationDateViolations(d(date), d(t), null)).toEqual(expected);
  });

  it('refuses a date after the lease end, accepts the end date itself', () => {
    expect(cancellationDateViolations(d('2027-03-31'), today, d('2027-03-31'))).toEqual([]);
    expect(cancellationDateViolations(d('2027-04-01'), today, d('2027-03-31'))).toEqual(['DATE_AFTER_LEASE_END']);
  });

  it('the earliest date is accepted by the same rules on every day from Dec 15 to Jan 5, and is the first such date', () => {
    const days: string[] = [];
    for (let t = new Date(Date.UTC(2026, 11, 15)); t <= new Date(Date.UTC(2027, 0, 5)); t = new Date(t.getTime() + 86_400_000)) days.push(t.toISOString().slice(0, 10));
    const seen: Record<string, string> = {};
    for (const day of days) {
      const today = d(day);
      const earliest = earliestCancellationDate(today);
      expect(cancellationDateViolations(earliest, today, null), `filed ${day}`).toEqual([]);
      // Every date before it (from tomorrow) is refused by some rule.
      for (let t = new Date(`${day}T00:00:00Z`); t.toISOString().slice(0, 10) < earliest; t = new Date(t.getTime() + 86_400_000)) {
        expect(cancellationDateViolations(jstDate(t.toISOString().slice(0, 10)), today, null).length, `filed ${day}, date ${t.toISOString().slice(0, 10)}`).toBeGreaterThan(0);
      }
      seen[day] = earliest;
    }
    // The edges: Dec 20 + 8 = Dec 28 (the last day before the closure); Dec 21 + 8 = Dec 29 is closed, so Jan 4;
    // Dec 26 + 8 = Jan 3 (closed) → Jan 4; Dec 27 + 8 = Jan 4 itself.
    expect(seen['2026-12-20']).toBe('2026-12-28');
    expect(seen['2026-12-21']).toBe('2027-01-04');
    expect(seen['2026-12-26']).toBe('2027-01-04');
    expect(seen['2026-12-27']).toBe('2027-01-04');
    expect(seen['2026-12-28']).toBe('2027-01-05');
  });

  it('the earliest date is today + 8', () => {
    expect(earliestCancellationDate(today)).toBe('2026-11-18');
    expect(cancellationDateViolations(earliestCancellationDate(today), today, null)).toEqual([]);
  });
});

describe('penaltyWarning: 2015/7/16借の場合、2016/3/31解約までは違約金発生', () => {
  const terms = { penaltyUntil: d('2016-03-31'), penaltyAmount: 50_000 };
  it('on the last day of the period: penalty', () => {
    expect(penaltyWarning(d('2016-03-31'), terms)).toEqual({ penaltyUntil: '2016-03-31', amount: 50_000 });
  });
  it('the day before: penalty', () => {
    expect(penaltyWarning(d('2016-03-30'), terms)).not.toBeNull();
  });
  it('the day after: none', () => {
    expect(penaltyWarning(d('2016-04-01'), terms)).toBeNull();
  });
  it('amount unknown: warns without an amount', () => {
    expect(penaltyWarning(d('2016-01-10'), { penaltyUntil: d('2016-03-31'), penaltyAmount: null })).toEqual({ penaltyUntil: '2016-03-31', amount: null });
  });
  it('no penalty period: none', () => {
    expect(penaltyWarning(d('2016-01-10'), { penaltyUntil: null, penaltyAmount: null })).toBeNull();
  });
});

describe('night window 20:00-8:00 JST', () => {
  const at = (iso: string) => new Date(iso);
  const cases: [string, string, boolean, string | null][] = [
    ['19:59 is daytime', '2026-11-10T19:59:00+09:00', false, null],
    ['19:59:59 is daytime', '2026-11-10T19:59:59+09:00', false, null],
    ['20:00 is night, decided the next day 08:00', '2026-11-10T20:00:00+09:00', true, '2026-11-11T08:00:00+09:00'],
    ['23:59 is night', '2026-11-10T23:59:00+09:00', true, '2026-11-11T08:00:00+09:00'],
    ['00:00 is night, decided the same day 08:00', '2026-11-11T00:00:00+09:00', true, '2026-11-11T08:00:00+09:00'],
    ['07:59 is night', '2026-11-11T07:59:00+09:00', true, '2026-11-11T08:00:00+09:00'],
    ['08:00 is daytime', '2026-11-11T08:00:00+09:00', false, null],
    ['20:00 on Dec 31 is decided on Jan 1 08:00', '2026-12-31T20:00:00+09:00', true, '2027-01-01T08:00:00+09:00'],
  ];
  it.each(cases)('%s', (_name, iso, night, decided) => {
    expect(isNightWindow(at(iso))).toBe(night);
    if (decided) expect(decisionTime(at(iso)).toISOString()).toBe(new Date(decided).toISOString());
  });
  it('reads JST, not UTC: 11:00 UTC is 20:00 JST', () => {
    expect(isNightWindow(at('2026-11-10T11:00:00Z'))).toBe(true);
    expect(isNightWindow(at('2026-11-10T10:59:00Z'))).toBe(false);
  });
});

describe('defaultMoveOutFrom: 過去3カ月', () => {
  it.each([
    ['2026-11-22', '2026-08-22'],
    ['2026-01-15', '2025-10-15'],
    ['2026-05-31', '2026-02-28'],
    ['2028-05-31', '2028-02-29'],
    ['2026-03-01', '2025-12-01'],
  ])('%s → %s', (today, from) => {
    expect(defaultMoveOutFrom(d(today))).toBe(from);
  });
});
