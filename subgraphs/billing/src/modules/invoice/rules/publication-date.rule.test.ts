import { describe, expect, it } from 'vitest';
import { jstDate, type JstDate } from '@portal/platform';
import { billingCalendar, isYearEndClosure, type BusinessCalendar } from '../../calendar/billing-calendar.ts';
import { invoicePublicationDate } from './publication-date.rule.ts';

describe('invoicePublicationDate over 2026 (real calendar: national holidays + Dec 29 – Jan 3 closure)', () => {
  // [month, TRANSFER: 3rd business day, DIRECT_DEBIT: the 27th or the next business day, why]
  const table: [number, string, string, string][] = [
    [1, '2026-01-07', '2026-01-27', 'Jan 1–3 closed, 4th Sunday: 5, 6, 7'],
    [2, '2026-02-04', '2026-02-27', 'Feb 1 is a Sunday'],
    [3, '2026-03-04', '2026-03-27', 'Mar 1 is a Sunday'],
    [4, '2026-04-03', '2026-04-27', 'Apr 1–3 are weekdays'],
    [5, '2026-05-08', '2026-05-27', 'Golden Week: May 1 works, 2–6 off (6th = substitute holiday), then 7, 8'],
    [6, '2026-06-03', '2026-06-29', '27th is a Saturday → Monday 29th'],
    [7, '2026-07-03', '2026-07-27', 'Jul 1–3 are weekdays'],
    [8, '2026-08-05', '2026-08-27', 'Aug 1–2 weekend'],
    [9, '2026-09-03', '2026-09-28', '27th is a Sunday → Monday 28th (Silver Week 21–23 is earlier)'],
    [10, '2026-10-05', '2026-10-27', 'Oct 3–4 weekend'],
    [11, '2026-11-05', '2026-11-27', 'Nov 1 Sunday, Nov 3 Culture Day'],
    [12, '2026-12-03', '2026-12-28', '27th is a Sunday → Monday 28th, the last day before the closure'],
  ];
  it.each(table)('month %i: transfer %s, direct debit %s (%s)', (month, transfer, directDebit) => {
    expect(invoicePublicationDate(2026, month, 'TRANSFER', billingCalendar)).toBe(transfer);
    expect(invoicePublicationDate(2026, month, 'DIRECT_DEBIT', billingCalendar)).toBe(directDebit);
  });
});

describe('invoicePublicationDate at the edges', () => {
  it('never leaves the month for direct debit: 2025-12-27 is a Saturday and the closure follows, so Friday the 26th', () => {
    expect(invoicePublicationDate(2025, 12, 'DIRECT_DEBIT', billingCalendar)).toBe('2025-12-26');
  });

  it('publishes on the 27th itself when it is a business day, even a Monday after a holiday weekend', () => {
    expect(invoicePublicationDate(2026, 4, 'DIRECT_DEBIT', billingCalendar)).toBe('2026-04-27');
  });

  it('counts only the injected calendar\'s business days', () => {
    const everyDay: BusinessCalendar = { isBusinessDay: () => true };
    expect(invoicePublicationDate(2026, 5, 'TRANSFER', everyDay)).toBe('2026-05-03');
    expect(invoicePublicationDate(2026, 6, 'DIRECT_DEBIT', everyDay)).toBe('2026-06-27');
    const onlyThe28th: BusinessCalendar = { isBusinessDay: (d: JstDate) => d.endsWith('-28') };
    expect(invoicePublicationDate(2026, 2, 'DIRECT_DEBIT', onlyThe28th)).toBe('2026-02-28');
  });

  it('refuses a month without enough business days instead of guessing', () => {
    const never: BusinessCalendar = { isBusinessDay: () => false };
    expect(() => invoicePublicationDate(2026, 1, 'TRANSFER', never)).toThrow(RangeError);
    expect(() => invoicePublicationDate(2026, 1, 'DIRECT_DEBIT', never)).toThrow(RangeError);
  });
});

describe('the year-end closure', () => {
  it.each([
    ['2026-12-28', false],
    ['2026-12-29', true],
    ['2026-12-31', true],
    ['2027-01-03', true],
    ['2027-01-04', false],
  ])('%s closed: %s', (date, closed) => {
    expect(isYearEndClosure(jstDate(date))).toBe(closed);
    if (closed) expect(billingCalendar.isBusinessDay(jstDate(date))).toBe(false);
  });
});
