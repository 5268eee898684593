import { describe, expect, it } from 'vitest';
import { billingMonthAt, parseBillingMonth } from './billing-month.rule.ts';

describe('billingMonthAt (JST)', () => {
  it.each([
    ['2026-05-31T14:59:59Z', '2026-05'], // 23:59:59 JST on May 31
    ['2026-05-31T15:00:00Z', '2026-06'], // midnight JST June 1
    ['2026-12-31T15:00:00Z', '2027-01'],
  ])('%s → %s', (instant, month) => {
    expect(billingMonthAt(new Date(instant))).toBe(month);
  });
});

describe('parseBillingMonth', () => {
  it.each([
    ['2026-05', '2026-05'],
    ['2026-12', '2026-12'],
    ['2026-13', null],
    ['2026-00', null],
    ['2026-5', null],
    ['202605', null],
    ['2026-05-01', null],
  ])('%s → %s', (input, expected) => {
    expect(parseBillingMonth(input)).toBe(expected);
  });
});
