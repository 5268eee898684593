import { userError } from '@portal/subgraph-kit';

/** Error codes of the audit trail, in one place. */
export const AUDIT_ERRORS = {
  INVALID_DATE_RANGE: { en: 'The start date is after the end date.', ja: '期間の開始日が終了日より後になっています。' },
  EXPORT_TOO_LARGE: { en: 'Too many events to export at once; narrow the period or the actions.', ja: '件数が多すぎるためダウンロードできません。期間または操作を絞り込んでください。' },
} as const;
export type AuditErrorCode = keyof typeof AUDIT_ERRORS;

export const auditError = (code: AuditErrorCode, field: string | null) => userError(code, field, AUDIT_ERRORS[code]);
