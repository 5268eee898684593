import { describe, expect, it } from 'vitest';
import { isContractedOn } from './contracted-room.rule.ts';

describe('isContractedOn', () => {
  it.each([
    ['no end date fixed', null, '2026-06-01', true],
    ['end date absent', undefined, '2026-06-01', true],
    ['the day before the lease ends', '2026-05-31', '2026-05-30', true],
    ['the last day of the lease', '2026-05-31', '2026-05-31', true],
    ['the day after the lease ended', '2026-05-31', '2026-06-01', false],
    ['across a year end', '2026-12-31', '2027-01-01', false],
  ])('%s', (_label, leaseEnd, today, contracted) => {
    expect(isContractedOn({ leaseEnd }, today)).toBe(contracted);
  });
});
