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
