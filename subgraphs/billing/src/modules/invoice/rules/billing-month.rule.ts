import { jstDateOf } from '@portal/platform';

/** A billing month, 'YYYY-MM' (請求年月). */
export type BillingMonth = string & { readonly __billingMonth: true };

const PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Validates 'YYYY-MM'; null for anything else (the caller turns that into a BAD_USER_INPUT). */
export function parseBillingMonth(value: string): BillingMonth | null {
  return PATTERN.test(value) ? (value as BillingMonth) : null;
}

/** The billing month an instant falls in, on the Japanese calendar (23:59 JST on the 31st is still that month). */
export function billingMonthAt(instant: Date): BillingMonth {
  return jstDateOf(instant).slice(0, 7) as BillingMonth;
}

