import { describe, expect, it } from 'vitest';
import { corporateNumberCheckDigit, isRegistrationNumber, taxPerRate } from '../src/qualified-invoice.ts';
import { ISSUER, parseIssuer } from '../src/issuer.ts';

describe('isRegistrationNumber: T + corporate number with the National Tax Agency check digit', () => {
  // Published corporate numbers (国税庁法人番号公表サイト) and the ministry ordinance's worked example.
  it.each([
    ['T7000012050002', true], // 国税庁
    ['T1180301018771', true], // トヨタ自動車株式会社
    ['T5010401067252', true], // ソニーグループ株式会社
    ['T4011001098993', true], // 株式会社FoundingBase
    ['T2120901007402', true], // the example of a tax accountant's published walkthrough
    ['T7123456789012', true], // the worked example: Σ = 74, 74 mod 9 = 2, 9 − 2 = 7
    ['T8000012050002', false], // one check digit off
    ['T7000012050003', false], // one base digit off
    ['T7000012500002', false], // two digits swapped
    ['T0000000000000', false], // the old all-zero placeholder: 0 is never a check digit
    ['T1234567890123', false], // a shape-only placeholder
    ['7000012050002', false],
    ['t7000012050002', false],
    ['T700001205000', false],
    ['T70000120500021', false],
    [' T7000012050002', false],
  ])('%s → %s', (value, ok) => {
    expect(isRegistrationNumber(value)).toBe(ok);
  });

  it('computes the digit of a 12-digit base, and refuses anything else', () => {
    expect(corporateNumberCheckDigit('000012050002')).toBe(7);
    expect(corporateNumberCheckDigit('180301018771')).toBe(1);
    expect(() => corporateNumberCheckDigit('12345')).toThrow(RangeError);
  });
});

describe('taxPerRate: one rounding per rate, toward zero', () => {
  it('inclusive: rounds the rate total, not each line: 3 × ¥105 at 10% → ¥28 (per line 3 × ¥9 = ¥27)', () => {
    expect(taxPerRate([105, 105, 105].map((amount) => ({ amount, taxRate: 10 })), 'inclusive')).toEqual([{ taxRate: 10, totalIncludingTax: 315, tax: 28, totalExcludingTax: 287 }]);
  });
  it('exclusive: per line 10.5 + 10.5 → 20, per rate 21', () => {
    expect(taxPerRate([{ amount: 105, taxRate: 10 }, { amount: 105, taxRate: 10 }], 'exclusive')).toEqual([{ taxRate: 10, totalExcludingTax: 210, tax: 21, totalIncludingTax: 231 }]);
  });
  it.each([
    ['inclusive', 110, 10, 10],
    ['inclusive', 109, 10, 9], // 9.909… → 9
    ['inclusive', 10, 10, 0],
    ['inclusive', 107, 8, 7], // 7.925… → 7
    ['inclusive', -109, 10, -9], // a refund rounds like a charge
    ['exclusive', 109, 10, 10], // 10.9 → 10
    ['exclusive', -109, 10, -10],
    ['exclusive', 99, 8, 7], // 7.92 → 7
    ['exclusive', 50_000, 0, 0],
    ['exclusive', -1, 10, 0], // never -0
  ] as const)('%s ¥%i at %i%% → tax ¥%i', (basis, amount, taxRate, tax) => {
    const [rate] = taxPerRate([{ amount, taxRate }], basis);
    expect(Object.is(rate!.tax, tax)).toBe(true);
  });
  it('keeps rates apart, standard first, non-taxable last', () => {
    expect(taxPerRate([{ amount: 1500, taxRate: 8 }, { amount: 50_000, taxRate: 0 }, { amount: 47550, taxRate: 10 }, { amount: 19800, taxRate: 10 }, { amount: 1500, taxRate: 8 }], 'inclusive')).toEqual([
      { taxRate: 10, totalIncludingTax: 67350, tax: 6122, totalExcludingTax: 61228 },
      { taxRate: 8, totalIncludingTax: 3000, tax: 222, totalExcludingTax: 2778 },
      { taxRate: 0, totalIncludingTax: 50_000, tax: 0, totalExcludingTax: 50_000 },
    ]);
  });
  it('refuses unknown rates and fractional yen', () => {
    expect(() => taxPerRate([{ amount: 100, taxRate: 5 }], 'inclusive')).toThrow(RangeError);
    expect(() => taxPerRate([{ amount: 1.5, taxRate: 10 }], 'exclusive')).toThrow(RangeError);
  });
});

describe('the issuer configuration', () => {
  it('the committed issuer validates', () => {
    expect(isRegistrationNumber(ISSUER.registrationNumber)).toBe(true);
    expect(ISSUER.address.length).toBeGreaterThan(0);
  });
  it('a wrong check digit or a missing field is refused, naming the field', () => {
    const ok = { name: '株式会社テスト', address: ['〒100-0005'], phone: '03-0000-0000', registrationNumber: 'T7000012050002' };
    expect(parseIssuer(ok).registrationNumber).toBe('T7000012050002');
    expect(() => parseIssuer({ ...ok, registrationNumber: 'T0000000000000' })).toThrow(/registrationNumber/);
    expect(() => parseIssuer({ ...ok, name: '' })).toThrow(/issuer\.name/);
    expect(() => parseIssuer({ ...ok, address: [] })).toThrow(/issuer\.address/);
  });
});
