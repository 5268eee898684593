import { describe, expect, it } from 'vitest';
import { companyCalendar, jstDate, type BusinessCalendar, type JstDate } from '@portal/platform';
import { invoicePublicationDate } from '../../invoice/rules/publication-date.rule.ts';
import { refundDate, refundStatementDate } from './refund-date.rule.ts';

describe('publication and refund dates over 2027 (company calendar: national holidays + Dec 29 – Jan 3 closure)', () => {
  // [month, invoice TRANSFER (3rd business day), invoice DIRECT_DEBIT (27th), refund (25th or next business day), refund statement (2 business days before), why]
  const table: [number, string, string, string, string, string][] = [
    [1, '2027-01-06', '2027-01-27', '2027-01-25', '2027-01-21', 'closure to Jan 3: Jan 4, 5, 6'],
    [2, '2027-02-03', '2027-02-26', '2027-02-25', '2027-02-22', '27th Saturday, no business day left: Fri 26th; statement skips Feb 23 (Emperor\'s Birthday)'],
    [3, '2027-03-03', '2027-03-29', '2027-03-25', '2027-03-23', '27th Saturday → Monday 29th'],
    [4, '2027-04-05', '2027-04-27', '2027-04-26', '2027-04-22', '25th Sunday → Monday 26th'],
    [5, '2027-05-10', '2027-05-27', '2027-05-25', '2027-05-21', 'Golden Week: May 3–5 (Mon–Wed) off → 6, 7, 10'],
    [6, '2027-06-03', '2027-06-28', '2027-06-25', '2027-06-23', '27th Sunday → Monday 28th'],
    [7, '2027-07-05', '2027-07-27', '2027-07-26', '2027-07-22', '25th Sunday → Monday 26th'],
    [8, '2027-08-04', '2027-08-27', '2027-08-25', '2027-08-23', 'Aug 1 is a Sunday'],
    [9, '2027-09-03', '2027-09-27', '2027-09-27', '2027-09-22', '25th Saturday → Monday 27th; statement skips Sep 23 (Autumnal Equinox)'],
    [10, '2027-10-05', '2027-10-27', '2027-10-25', '2027-10-21', 'Oct 2–3 weekend'],
    [11, '2027-11-04', '2027-11-29', '2027-11-25', '2027-11-22', 'Nov 3 Culture Day; statement skips Nov 23 (Labour Thanksgiving)'],
    [12, '2027-12-03', '2027-12-27', '2027-12-27', '2027-12-23', 'year end: 25th Saturday → Monday 27th, before the closure'],
  ];
  it.each(table)('month %i: transfer %s, direct debit %s, refund %s shown from %s (%s)', (month, transfer, directDebit, refund, shown) => {
    expect(invoicePublicationDate(2027, month, 'TRANSFER', companyCalendar)).toBe(transfer);
    expect(invoicePublicationDate(2027, month, 'DIRECT_DEBIT', companyCalendar)).toBe(directDebit);
    expect(refundDate(2027, month, companyCalendar)).toBe(refund);
    expect(refundStatementDate(jstDate(refund), companyCalendar)).toBe(shown);
  });
});

describe('refund date at the edges', () => {
  const withDaysOff = (...off: string[]): BusinessCalendar => ({ isBusinessDay: (d: JstDate) => !off.includes(d) && companyCalendar.isBusinessDay(d) });

  it('a 25th on a Saturday followed by a holiday on Monday: Tuesday 28th, shown from Thursday 23rd', () => {
    // No month up to 2050 has a national holiday on the Monday after a Saturday 25th, so the holiday is injected.
    const calendar = withDaysOff('2027-12-27');
    expect(refundDate(2027, 12, calendar)).toBe('2027-12-28');
    expect(refundStatementDate(jstDate('2027-12-28'), calendar)).toBe('2027-12-23');
  });

  it('leaves the month and the year-end closure when it must: next business day after Jan 3', () => {
    const calendar = withDaysOff('2027-12-27', '2027-12-28');
    expect(refundDate(2027, 12, calendar)).toBe('2028-01-04');
    expect(refundStatementDate(jstDate('2028-01-04'), calendar)).toBe('2027-12-23');
  });

  it('keeps a business-day 25th and counts two business days back across Silver Week (Sep 21–23, 2026 off): Friday 18th', () => {
    expect(refundDate(2026, 9, companyCalendar)).toBe('2026-09-25');
    expect(refundStatementDate(jstDate('2026-09-25'), companyCalendar)).toBe('2026-09-18');
  });

  it('counts exactly two business days, not one or three (Thursday 25th → Tuesday 23rd)', () => {
    expect(refundStatementDate(jstDate('2027-03-25'), companyCalendar)).toBe('2027-03-23');
  });

  it('follows the injected calendar only', () => {
    const everyDay: BusinessCalendar = { isBusinessDay: () => true };
    expect(refundDate(2026, 4, everyDay)).toBe('2026-04-25');
    expect(refundStatementDate(jstDate('2026-04-25'), everyDay)).toBe('2026-04-23');
    const never: BusinessCalendar = { isBusinessDay: () => false };
    expect(() => refundDate(2026, 4, never)).toThrow(RangeError);
  });
});
