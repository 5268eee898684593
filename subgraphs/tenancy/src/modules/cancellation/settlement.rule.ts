import { taxPerRate, type TaxRatePercent } from '@portal/documents';

/**
 * Totals of a settlement statement (解約清算明細書) in the invoice-system format (since 2023-10):
 * amounts are summed per tax rate, and the consumption tax is computed ONCE per rate on that sum
 * (the qualified-invoice rule: one rounding per rate per document), rounded toward zero so a refund
 * and a charge of the same size round alike.
 */
export const TAX_RATES = {
  STANDARD_10: { percent: 10, en: '10% (standard)', ja: '10%対象' },
  REDUCED_8: { percent: 8, en: '8% (reduced)', ja: '8%対象（軽減税率）' },
  NON_TAXABLE: { percent: 0, en: 'Not taxable', ja: '非課税・不課税' },
} as const;
export type TaxRate = keyof typeof TAX_RATES;
export const TAX_RATE_ORDER: readonly TaxRate[] = ['STANDARD_10', 'REDUCED_8', 'NON_TAXABLE'];

export interface SettlementLine {
  description: string;
  /** Yen, tax excluded; negative for a refund or an offset (e.g. 前払利用料返金). */
  amount: number;
  taxRate: TaxRate;
}

export interface RateTotal {
  taxRate: TaxRate;
  /** Sum of the lines at this rate, tax excluded. */
  taxableAmount: number;
  tax: number;
  /** taxableAmount + tax. */
  total: number;
}

export interface SettlementTotals {
  byRate: RateTotal[];
  subtotal: number;
  totalTax: number;
  /** What the member pays (positive) or is refunded (negative). */
  totalAmount: number;
}

export function settlementTotals(lines: readonly SettlementLine[]): SettlementTotals {
  // The rule itself (per rate, once, toward zero) is the shared qualified-invoice one; settlement lines are tax-excluded.
  const perRate = taxPerRate(lines.map((l) => ({ amount: l.amount, taxRate: TAX_RATES[l.taxRate].percent })), 'exclusive');
  const byRate: RateTotal[] = perRate.map((r) => ({ taxRate: RATE_OF_PERCENT[r.taxRate], taxableAmount: r.totalExcludingTax, tax: r.tax, total: r.totalIncludingTax }));
  const subtotal = byRate.reduce((s, r) => s + r.taxableAmount, 0);
  const totalTax = byRate.reduce((s, r) => s + r.tax, 0);
  return { byRate, subtotal, totalTax, totalAmount: subtotal + totalTax };
}

const RATE_OF_PERCENT: Record<TaxRatePercent, TaxRate> = { 10: 'STANDARD_10', 8: 'REDUCED_8', 0: 'NON_TAXABLE' };
