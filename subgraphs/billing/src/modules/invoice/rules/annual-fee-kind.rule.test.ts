import { describe, expect, it } from 'vitest';
import { annualFeeLabel, parseAnnualFeeKind } from './annual-fee-kind.rule.ts';

describe('annual-fee kind (年会費 / 維持手数料 / 更新費用)', () => {
  it.each([
    ['ANNUAL_FEE', 'ANNUAL_FEE'], ['年会費', 'ANNUAL_FEE'],
    ['MAINTENANCE_FEE', 'MAINTENANCE_FEE'], ['維持手数料', 'MAINTENANCE_FEE'],
    ['RENEWAL_FEE', 'RENEWAL_FEE'], ['更新費用', 'RENEWAL_FEE'], ['更新手数料', 'RENEWAL_FEE'], [' 更新費用 ', 'RENEWAL_FEE'],
    ['', null], ['年会費/維持手数料/更新手数料', null], ['renewal_fee', null],
  ] as const)('%j → %s', (cell, kind) => {
    expect(parseAnnualFeeKind(cell)).toBe(kind);
  });
  it('labels each kind by the manual\'s word, and an unknown one by the combined label', () => {
    expect([annualFeeLabel('ANNUAL_FEE'), annualFeeLabel('MAINTENANCE_FEE'), annualFeeLabel('RENEWAL_FEE'), annualFeeLabel(null)]).toEqual(['年会費', '維持手数料', '更新費用', '年会費/維持手数料/更新費用']);
  });
});
