/** What a hold can cover: one amount category of a line, or the whole line (保留). */
export const HOLD_TARGETS = ['NEXT_MONTH_USAGE_FEE', 'ANNUAL_FEE', 'MINOR_SERVICES_FEE', 'EXIT_SETTLEMENT', 'WHOLE_LINE'] as const;
export type HoldTarget = (typeof HOLD_TARGETS)[number];
export type LineCategory = Exclude<HoldTarget, 'WHOLE_LINE'>;
export const LINE_CATEGORIES: readonly LineCategory[] = ['NEXT_MONTH_USAGE_FEE', 'ANNUAL_FEE', 'MINOR_SERVICES_FEE', 'EXIT_SETTLEMENT'];

export interface LineAmounts {
  nextMonthUsageFee: number;
  annualFee: number;
  minorServicesFee: number;
  exitSettlement: number;
}

export function categoryAmount(line: LineAmounts, category: LineCategory): number {
  switch (category) {
    case 'NEXT_MONTH_USAGE_FEE':
      return line.nextMonthUsageFee;
    case 'ANNUAL_FEE':
      return line.annualFee;
    case 'MINOR_SERVICES_FEE':
      return line.minorServicesFee;
    case 'EXIT_SETTLEMENT':
      return line.exitSettlement;
  }
}

/**
 * The amount a line's holds withhold: the whole line when it is held, else the sum of its held
 * categories, each counted once whatever else is held. The changed total (変更後金額) is the
 * original total minus this.
 */
export function heldAmount(line: LineAmounts, targets: readonly HoldTarget[]): number {
  const all = LINE_CATEGORIES.reduce((sum, c) => sum + categoryAmount(line, c), 0);
  if (targets.includes('WHOLE_LINE')) return all;
  return [...new Set(targets)].reduce((sum, t) => sum + categoryAmount(line, t as LineCategory), 0);
}

/** Maximum length of a hold reason (変更・保留理由). */
export const HOLD_REASON_MAX = 200;

/** A reason as stored: trimmed; null when blank (a hold needs one). */
export function normaliseReason(reason: string | null | undefined): string | null {
  const trimmed = (reason ?? '').replace(/\s+/g, ' ').trim();
  return trimmed.length ? trimmed : null;
}
