/**
 * Input validation at the edge (zod) for the filing form: reasons, contact, approvals. Business
 * rules that need the clock or the database live in the rules and the service.
 */
import { z } from 'zod';
import type { CancellationErrorCode } from './cancellation.errors.ts';

/** The eight reasons of the filing form (解約理由), in the manual's order. */
export const CANCELLATION_REASONS = {
  FACILITIES_LAYOUT: { en: 'Facilities / layout', ja: '設備・間取り' },
  LOCATION: { en: 'Location', ja: '立地条件' },
  OUR_SERVICE: { en: 'Our service / management', ja: '当社対応・管理体制' },
  TRANSFER_TO_OUR_PROPERTY: { en: 'Transfer (to one of our properties)', ja: '異動（当社物件へ）' },
  TRANSFER_TO_OTHER_PROPERTY: { en: 'Transfer (to another company\'s property)', ja: '異動（他社物件へ）' },
  RETIREMENT: { en: 'Retirement', ja: '退職' },
  PROJECT_END: { en: 'End of project', ja: 'プロジェクト終了' },
  DORMITORY_TERM_END: { en: 'Company housing term ended', ja: '寮規定満了' },
} as const;
export type CancellationReason = keyof typeof CANCELLATION_REASONS;
export const MAX_REASONS = 5;

export const CONTACT_NAME_MAX = 30;
/** Japanese phone numbers as people write them: 03-3000-0000, 090-1234-5678, 0120-123-456, or the digits alone (10-11). */
const PHONE = /^(0\d{1,4}-\d{1,4}-\d{3,4}|0\d{9,10})$/;

export interface FilingFields {
  reasons: string[];
  contactName: string;
  contactPhone: string;
  approvalsRequired: number;
}

export interface InputViolation {
  code: CancellationErrorCode;
  field: string;
}

const schema = z.object({
  reasons: z.array(z.string()).superRefine((reasons, ctx) => {
    if (reasons.length === 0) ctx.addIssue({ code: 'custom', message: 'REASON_REQUIRED' });
    else if (reasons.length > MAX_REASONS) ctx.addIssue({ code: 'custom', message: 'TOO_MANY_REASONS' });
    else if (new Set(reasons).size !== reasons.length) ctx.addIssue({ code: 'custom', message: 'DUPLICATE_REASON' });
  }),
  contactName: z.string().trim().min(1, 'CONTACT_NAME_INVALID').max(CONTACT_NAME_MAX, 'CONTACT_NAME_INVALID'),
  contactPhone: z.string().trim().regex(PHONE, 'CONTACT_PHONE_INVALID'),
  approvalsRequired: z.number().int('APPROVALS_INVALID').min(0, 'APPROVALS_INVALID'),
});

/** Validates the form fields; returns the normalised values or every violation with its field. */
export function parseFilingFields(input: FilingFields): { ok: true; value: FilingFields } | { ok: false; violations: InputViolation[] } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    violations: parsed.error.issues.map((issue) => ({ code: issue.message as CancellationErrorCode, field: `input.${String(issue.path[0])}` })),
  };
}

export const DENIAL_REASON_MAX = 200;
