import { describe, expect, it } from 'vitest';
import { isPowerOfAttorneyExpiredOn, isPowerOfAttorneyPeriodValid, lastPowerOfAttorneyDay } from './power-of-attorney.rule.ts';

describe('isPowerOfAttorneyPeriodValid (at most 3 years, ending the day before the same date)', () => {
  it.each([
    ['the manual\'s example, 3 years to the day before', '2024-03-06', '2027-03-05', true],
    ['3 years to the same date (one day too many)', '2024-03-06', '2027-03-06', false],
    ['3 years and a day beyond', '2024-03-06', '2027-03-07', false],
    ['one day', '2025-10-23', '2025-10-23', true],
    ['the manual\'s two-day example', '2025-10-23', '2025-10-24', true],
    ['to before from', '2025-10-24', '2025-10-23', false],
    ['from 1 January: to 31 December of the third year', '2025-01-01', '2027-12-31', true],
    ['from 1 January: to 1 January three years on', '2025-01-01', '2028-01-01', false],
    ['from 29 Feb: ends 28 Feb (no 29th in the last month)', '2024-02-29', '2027-02-28', true],
    ['from 29 Feb: 1 March is too far', '2024-02-29', '2027-03-01', false],
    ['from 28 Feb into a leap year: ends 27 Feb', '2025-02-28', '2028-02-27', true],
    ['from 28 Feb into a leap year: 28 Feb is too far', '2025-02-28', '2028-02-28', false],
    ['from 1 March into a leap year: ends 29 Feb', '2025-03-01', '2028-02-29', true],
    ['an impossible date', '2025-02-30', '2025-03-01', false],
    ['not a date', 'tomorrow', '2025-03-01', false],
  ])('%s: %s ~ %s → %s', (_label, from, to, valid) => {
    expect(isPowerOfAttorneyPeriodValid(from, to)).toBe(valid);
  });

  it('names the last valid day', () => {
    expect(lastPowerOfAttorneyDay('2024-03-06')).toBe('2027-03-05');
    expect(lastPowerOfAttorneyDay('2024-02-29')).toBe('2027-02-28');
  });
});

describe('isPowerOfAttorneyExpiredOn', () => {
  it.each([
    ['2027-03-04', false],
    ['2027-03-05', false],
    ['2027-03-06', true],
  ])('valid to 2027-03-05, on %s expired: %s', (today, expired) => {
    expect(isPowerOfAttorneyExpiredOn('2027-03-05', today)).toBe(expired);
  });
});
