/**
 * Consumption tax on a qualified invoice (適格請求書), by the invoice rules of Japan: per tax rate, the
 * total of the items and the tax, the tax rounded ONCE per rate (not per line). Amounts billed are
 * tax-inclusive yen; the tax included in a rate's total T at rate r% is T × r / (100 + r), rounded
 * down (切り捨て), the treatment the leasing company uses. Pure; no rounding anywhere else.
 */
export interface TaxedItem {
  /** Tax-inclusive amount in yen. */
  amount: number;
  /** Percent: 10 (standard) or 8 (reduced). */
  taxRate: number;
}

export interface RateTotal {
  taxRate: number;
  /** Tax-inclusive total of the rate's items (税込対価の額). */
  totalIncludingTax: number;
  /** Consumption tax included, rounded down once for the rate (消費税額等). */
  tax: number;
  /** totalIncludingTax − tax (税抜対価の額). */
  totalExcludingTax: number;
}

export function taxByRate(items: readonly TaxedItem[]): RateTotal[] {
  const totals = new Map<number, number>();
  for (const { amount, taxRate } of items) {
    if (!Number.isInteger(amount) || amount < 0) throw new RangeError(`amount must be a whole number of yen ≥ 0: ${amount}`);
    if (taxRate !== 8 && taxRate !== 10) throw new RangeError(`unknown tax rate: ${taxRate}`);
    totals.set(taxRate, (totals.get(taxRate) ?? 0) + amount);
  }
  return [...totals.entries()]
    .sort(([a], [b]) => b - a)
    .map(([taxRate, totalIncludingTax]) => {
      const tax = Math.floor((totalIncludingTax * taxRate) / (100 + taxRate));
      return { taxRate, totalIncludingTax, tax, totalExcludingTax: totalIncludingTax - tax };
    });
}

/**
 * Whether `value` is a qualified invoice issuer registration number (登録番号): 'T' + 13 digits whose
 * first digit is the corporate number's check digit (9 − (Σ digit × (1 or 2)) mod 9 over the other 12,
 * weights 1, 2, 1, 2… from the last digit).
 */
export function isRegistrationNumber(value: string): boolean {
  const m = /^T(\d)(\d{12})$/.exec(value);
  if (!m) return false;
  const digits = m[2]!.split('').map(Number).reverse();
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 2), 0);
  return Number(m[1]) === 9 - (sum % 9);
}
