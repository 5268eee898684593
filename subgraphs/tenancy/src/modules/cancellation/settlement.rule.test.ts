import { describe, expect, it } from 'vitest';
import { settlementTotals, type SettlementLine } from './settlement.rule.ts';
import { parseFilingFields } from './cancellation-input.ts';

const line = (amount: number, taxRate: SettlementLine['taxRate'] = 'STANDARD_10', description = '原状回復費'): SettlementLine => ({ description, amount, taxRate });

describe('settlementTotals: tax once per rate', () => {
  it('sums per rate, then taxes each rate once (not per line)', () => {
    // per line: 10.5 + 10.5 → 10 + 10 = 20; per rate: 21 → 21
    const t = settlementTotals([line(105), line(105)]);
    expect(t.byRate).toEqual([{ taxRate: 'STANDARD_10', taxableAmount: 210, tax: 21, total: 231 }]);
    expect(t.totalAmount).toBe(231);
  });
  it('rounds each rate toward zero', () => {
    expect(settlementTotals([line(109)]).totalTax).toBe(10);
    expect(settlementTotals([line(-109)]).totalTax).toBe(-10);
    expect(settlementTotals([line(99, 'REDUCED_8')]).totalTax).toBe(7);
  });
  it('keeps rates apart and adds non-taxable lines without tax', () => {
    const t = settlementTotals([line(30_000), line(12_000), line(1_000, 'REDUCED_8'), line(50_000, 'NON_TAXABLE', '短期解約違約金'), line(-20_000, 'NON_TAXABLE', '前払利用料返金')]);
    expect(t.byRate).toEqual([
      { taxRate: 'STANDARD_10', taxableAmount: 42_000, tax: 4_200, total: 46_200 },
      { taxRate: 'REDUCED_8', taxableAmount: 1_000, tax: 80, total: 1_080 },
      { taxRate: 'NON_TAXABLE', taxableAmount: 30_000, tax: 0, total: 30_000 },
    ]);
    expect(t).toMatchObject({ subtotal: 73_000, totalTax: 4_280, totalAmount: 77_280 });
  });
  it('a refund overall is negative', () => {
    expect(settlementTotals([line(10_000), line(-50_000, 'NON_TAXABLE')]).totalAmount).toBe(-39_000);
  });
});

describe('parseFilingFields', () => {
  const ok = { reasons: ['RETIREMENT'], contactName: '管理太郎', contactPhone: '010-1111-2222', approvalsRequired: 0 };
  const codes = (input: Partial<typeof ok>) => {
    const r = parseFilingFields({ ...ok, ...input });
    return r.ok ? [] : r.violations.map((v) => `${v.field}:${v.code}`);
  };
  it.each([
    ['valid', {}, []],
    ['no reason', { reasons: [] }, ['input.reasons:REASON_REQUIRED']],
    ['5 reasons', { reasons: ['RETIREMENT', 'LOCATION', 'OUR_SERVICE', 'PROJECT_END', 'DORMITORY_TERM_END'] }, []],
    ['6 reasons', { reasons: ['RETIREMENT', 'LOCATION', 'OUR_SERVICE', 'PROJECT_END', 'DORMITORY_TERM_END', 'FACILITIES_LAYOUT'] }, ['input.reasons:TOO_MANY_REASONS']],
    ['duplicate', { reasons: ['RETIREMENT', 'RETIREMENT'] }, ['input.reasons:DUPLICATE_REASON']],
    ['blank name', { contactName: '  ' }, ['input.contactName:CONTACT_NAME_INVALID']],
    ['30 characters', { contactName: 'あ'.repeat(30) }, []],
    ['31 characters', { contactName: 'あ'.repeat(31) }, ['input.contactName:CONTACT_NAME_INVALID']],
    ['phone digits only', { contactPhone: '0311112222' }, []],
    ['mobile', { contactPhone: '090-1234-5678' }, []],
    ['not a phone', { contactPhone: 'abc' }, ['input.contactPhone:CONTACT_PHONE_INVALID']],
    ['negative approvals', { approvalsRequired: -1 }, ['input.approvalsRequired:APPROVALS_INVALID']],
  ] as const)('%s', (_name, input, expected) => {
    expect(codes(input as Partial<typeof ok>)).toEqual(expected);
  });
});
