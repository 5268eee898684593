/**
 * The qualified-invoice rules (適格請求書, Japan's invoice system since 2023-10) in one place, used by
 * every document of every subgraph: billing's qualified invoices and statements, tenancy's settlement
 * statements, and `renderPdf`'s check of the issuer.
 *
 * - Consumption tax is computed per tax rate on the rate's total, and rounded ONCE per rate per document
 *   (消費税法施行令第70条の10: one rounding per rate, never per line).
 * - The rounding is toward zero (切り捨て), for a charge and a refund alike, so a refund of the same size as a
 *   charge carries the same tax with the opposite sign.
 * - Amounts are whole yen; a line may be negative (an offset or a refund on a settlement statement).
 * - The registration number (登録番号) is 'T' + the 13-digit corporate number, whose first digit is the
 *   check digit of the National Tax Agency: 9 − (Σ Pn × Qn mod 9) over the other 12 digits, Pn the n-th digit
 *   counted from the last, Qn = 1 for odd n and 2 for even n (法人番号の指定等に関する省令 第2条).
 */

/** The rates the documents know, in percent: standard, reduced (軽減税率), none (非課税・不課税). */
export const TAX_RATE_PERCENTS = [10, 8, 0] as const;
export type TaxRatePercent = (typeof TAX_RATE_PERCENTS)[number];

/** Whether the amounts given include the tax (税込: billing's lines) or exclude it (税抜: settlement lines). */
export type TaxBasis = 'inclusive' | 'exclusive';

export interface TaxedAmount {
  /** Whole yen, tax included or excluded as the basis says; negative for an offset or a refund. */
  amount: number;
  /** Percent: 10, 8 or 0. */
  taxRate: number;
}

export interface TaxPerRate {
  taxRate: TaxRatePercent;
  /** 税抜対価の額. */
  totalExcludingTax: number;
  /** 消費税額等, rounded once for the rate, toward zero. */
  tax: number;
  /** 税込対価の額. */
  totalIncludingTax: number;
}

/**
 * The totals and the tax of each rate present, standard rate first. `inclusive`: the tax included in a
 * total T at r% is T × r / (100 + r); `exclusive`: the tax on T is T × r / 100; either rounded toward zero.
 * Throws a RangeError for a fractional amount or an unknown rate (a bug upstream: validate at the edge).
 */
export function taxPerRate(items: readonly TaxedAmount[], basis: TaxBasis): TaxPerRate[] {
  const totals = new Map<TaxRatePercent, number>();
  for (const { amount, taxRate } of items) {
    if (!Number.isSafeInteger(amount)) throw new RangeError(`taxPerRate: amount must be a whole number of yen, got ${amount}`);
    if (!(TAX_RATE_PERCENTS as readonly number[]).includes(taxRate)) throw new RangeError(`taxPerRate: unknown tax rate ${taxRate}%`);
    totals.set(taxRate as TaxRatePercent, (totals.get(taxRate as TaxRatePercent) ?? 0) + amount);
  }
  return TAX_RATE_PERCENTS.filter((r) => totals.has(r)).map((taxRate) => {
    const total = totals.get(taxRate)!;
    // `|| 0` turns Math.trunc's -0 into 0.
    const tax = Math.trunc((total * taxRate) / (basis === 'inclusive' ? 100 + taxRate : 100)) || 0;
    return basis === 'inclusive'
      ? { taxRate, totalIncludingTax: total, tax, totalExcludingTax: total - tax }
      : { taxRate, totalExcludingTax: total, tax, totalIncludingTax: total + tax };
  });
}

/** The check digit (1–9) of a corporate number's 12-digit base number (基礎番号). */
export function corporateNumberCheckDigit(base: string): number {
  if (!/^\d{12}$/.test(base)) throw new RangeError(`corporateNumberCheckDigit: 12 digits expected, got '${base}'`);
  const sum = [...base].reverse().reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 2), 0);
  return 9 - (sum % 9);
}

/** Whether `value` is a qualified-invoice registration number: 'T' + 13 digits with a valid check digit. */
export function isRegistrationNumber(value: string): boolean {
  const m = /^T([1-9])(\d{12})$/.exec(value);
  return !!m && Number(m[1]) === corporateNumberCheckDigit(m[2]!);
}
