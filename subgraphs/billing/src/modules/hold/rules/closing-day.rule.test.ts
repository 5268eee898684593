import { describe, expect, it } from 'vitest';
import { jstDate } from '@portal/platform';
import { confirmationDeadline, isBeforeClosing } from './closing-day.rule.ts';

describe('confirmationDeadline (締め日 = the 20th)', () => {
  it.each([
    ['2026-05-08', '2026-05-20', 'transfer, published on the 3rd business day: that month\'s 20th'],
    ['2026-05-20', '2026-05-20', 'published on the 20th itself'],
    ['2026-05-21', '2026-06-20', 'published after the 20th: the next month\'s'],
    ['2026-05-27', '2026-06-20', 'direct debit, published on the 27th'],
    ['2026-12-28', '2027-01-20', 'across the year end'],
  ])('%s → %s (%s)', (issue, deadline) => {
    expect(confirmationDeadline(jstDate(issue))).toBe(deadline);
  });
});

describe('confirmationDeadline of a late import (FAQ M:2576–2578): at least 5 business days from the day it appeared', () => {
  it.each([
    ['2026-05-08', '2026-05-08', '2026-05-20', 'imported on its publication day: not late'],
    ['2026-05-08', '2026-05-11', '2026-05-20', 'Mon the 11th + 5 business days = the 18th, before the 20th'],
    ['2026-05-08', '2026-05-13', '2026-05-20', 'Wed the 13th + 5 business days = the 20th itself'],
    ['2026-05-08', '2026-05-14', '2026-05-21', 'Thu the 14th: the window passes the 20th by one day'],
    ['2026-05-08', '2026-05-18', '2026-05-25', 'Mon the 18th: over the weekend to Mon the 25th'],
    ['2026-04-03', '2026-04-28', '2026-05-11', 'over Golden Week (4/29 and 5/4–5/6 are holidays)'],
    ['2026-12-04', '2026-12-24', '2027-01-06', 'over the year-end closure (12/29–1/3 are not business days)'],
    ['2026-05-27', '2026-06-16', '2026-06-23', 'a direct-debit invoice imported on 6/16 instead of 5/27'],
    ['2026-05-27', '2026-06-01', '2026-06-20', 'direct debit a few days late: the regular 20th is later'],
  ])('issued %s, appeared %s → %s (%s)', (issue, late, deadline) => {
    expect(confirmationDeadline(jstDate(issue), jstDate(late))).toBe(deadline);
  });

  it('a late invoice is confirmable on the window\'s last day and not the day after', () => {
    const [issue, late] = [jstDate('2026-05-08'), jstDate('2026-05-18')];
    expect(isBeforeClosing(new Date('2026-05-25T14:59:59Z'), issue, late)).toBe(true);
    expect(isBeforeClosing(new Date('2026-05-25T15:00:00Z'), issue, late)).toBe(false);
    // the control: the same invoice on time closed on the 20th
    expect(isBeforeClosing(new Date('2026-05-21T03:00:00Z'), issue)).toBe(false);
  });
});

describe('isBeforeClosing, by the clock in JST', () => {
  const issued = jstDate('2026-05-08');
  it.each([
    ['2026-05-19T15:00:00Z', true, '00:00 JST on the 20th'],
    ['2026-05-20T14:59:59Z', true, '23:59:59 JST on the 20th'],
    ['2026-05-20T15:00:00Z', false, '00:00 JST on the 21st'],
    ['2026-05-21T03:00:00Z', false, 'noon on the 21st'],
    ['2026-05-08T00:00:00Z', true, 'publication day'],
  ])('%s → %s (%s)', (instant, ok) => {
    expect(isBeforeClosing(new Date(instant), issued)).toBe(ok);
  });
});
