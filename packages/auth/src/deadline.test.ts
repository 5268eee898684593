import { describe, expect, it } from 'vitest';
import { requestDeadline } from './deadline.ts';

const EXPIRES = 1_800_000_060_000;

describe('requestDeadline', () => {
  it.each([
    ['the header when it is before the identity expires', String(EXPIRES - 5_000), EXPIRES - 5_000],
    ['the identity expiry when the header claims later', String(EXPIRES + 60_000), EXPIRES],
    ['the identity expiry when the header is missing', undefined, EXPIRES],
    ['the identity expiry when the header is not a number', 'soon', EXPIRES],
    ['the identity expiry when the header is negative', '-1', EXPIRES],
    ['the identity expiry when the header is a fraction', '1.5', EXPIRES],
    ['a past header as it is (the work stops at once)', '1000', 1000],
  ])('takes %s', (_case, header, expected) => {
    expect(requestDeadline(header, EXPIRES)).toBe(expected);
  });
});
