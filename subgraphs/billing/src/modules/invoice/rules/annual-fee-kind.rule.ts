/**
 * What a line's annual-fee amount is (M:128, M:183): the column 年会費/維持手数料/更新手数料 holds one of three
 * different charges, and documents name the one billed (a qualified invoice must describe what is sold).
 * The kind travels with the line from the operator's file; lines imported before it was kept have none and
 * print the combined label.
 */
export const ANNUAL_FEE_KIND_LABEL = {
  ANNUAL_FEE: '年会費',
  MAINTENANCE_FEE: '維持手数料',
  RENEWAL_FEE: '更新費用',
} as const;
export type AnnualFeeKind = keyof typeof ANNUAL_FEE_KIND_LABEL;
export const ANNUAL_FEE_KINDS = Object.keys(ANNUAL_FEE_KIND_LABEL) as AnnualFeeKind[];

/** For lines without a kind (imported before it was kept). */
export const ANNUAL_FEE_UNKNOWN_LABEL = '年会費/維持手数料/更新費用';

export function annualFeeLabel(kind: string | null | undefined): string {
  return kind && kind in ANNUAL_FEE_KIND_LABEL ? ANNUAL_FEE_KIND_LABEL[kind as AnnualFeeKind] : ANNUAL_FEE_UNKNOWN_LABEL;
}

/** The kind named in an import cell: the code (RENEWAL_FEE) or the manual's word (更新費用; 更新手数料 too). */
export function parseAnnualFeeKind(value: string): AnnualFeeKind | null {
  const v = value.trim();
  if ((ANNUAL_FEE_KINDS as string[]).includes(v)) return v as AnnualFeeKind;
  if (v === '更新手数料') return 'RENEWAL_FEE';
  return ANNUAL_FEE_KINDS.find((k) => ANNUAL_FEE_KIND_LABEL[k] === v) ?? null;
}
