import { describe, expect, it } from 'vitest';
import { isRegistrationNumber, taxByRate } from './tax-by-rate.rule.ts';

describe('taxByRate: rounded once per rate', () => {
  it('rounds the rate total, not each line: 3 × ¥105 at 10% → ¥28 (per line it would be 3 × ¥9 = ¥27)', () => {
    expect(taxByRate([{ amount: 105, taxRate: 10 }, { amount: 105, taxRate: 10 }, { amount: 105, taxRate: 10 }])).toEqual([
      { taxRate: 10, totalIncludingTax: 315, tax: 28, totalExcludingTax: 287 },
    ]);
  });

  it.each([
    [[{ amount: 110, taxRate: 10 }], 10, 10],
    [[{ amount: 109, taxRate: 10 }], 10, 9], // 9.909… → 9
    [[{ amount: 11, taxRate: 10 }], 10, 1],
    [[{ amount: 10, taxRate: 10 }], 10, 0], // 0.909… → 0
    [[{ amount: 108, taxRate: 8 }], 8, 8],
    [[{ amount: 107, taxRate: 8 }], 8, 7], // 7.925… → 7
    [[{ amount: 0, taxRate: 10 }], 10, 0],
  ] as const)('%j → rate %i tax %i', (items, rate, tax) => {
    expect(taxByRate(items).find((r) => r.taxRate === rate)?.tax).toBe(tax);
  });

  it('separates rates, standard first, and keeps the totals', () => {
    expect(taxByRate([{ amount: 47550, taxRate: 10 }, { amount: 1500, taxRate: 8 }, { amount: 19800, taxRate: 10 }, { amount: 1500, taxRate: 8 }])).toEqual([
      { taxRate: 10, totalIncludingTax: 67350, tax: 6122, totalExcludingTax: 61228 },
      { taxRate: 8, totalIncludingTax: 3000, tax: 222, totalExcludingTax: 2778 },
    ]);
  });

  it('refuses unknown rates and fractional or negative yen', () => {
    expect(() => taxByRate([{ amount: 100, taxRate: 5 }])).toThrow(RangeError);
    expect(() => taxByRate([{ amount: 1.5, taxRate: 10 }])).toThrow(RangeError);
    expect(() => taxByRate([{ amount: -1, taxRate: 10 }])).toThrow(RangeError);
  });
});

describe('isRegistrationNumber (T + 13 digits with the corporate number check digit)', () => {
  it.each([
    ['T7000012050002', true], // 国税庁
    ['T8000012050002', false], // wrong check digit
    ['7000012050002', false],
    ['T700001205000', false],
    ['T70000120500021', false],
    ['t7000012050002', false],
  ])('%s → %s', (value, ok) => {
    expect(isRegistrationNumber(value)).toBe(ok);
  });
});
