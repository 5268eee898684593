import { userError, type UserError } from '@portal/subgraph-kit';
import { HOLD_REASON_MAX } from './rules/held-amount.rule.ts';

/** Every expected failure of holds and confirmation, in one place (codes are part of the API). */
export const HoldErrorCode = {
  INVOICE_NOT_FOUND: 'INVOICE_NOT_FOUND',
  LINE_NOT_FOUND: 'LINE_NOT_FOUND',
  HOLD_REASON_REQUIRED: 'HOLD_REASON_REQUIRED',
  HOLD_REASON_TOO_LONG: 'HOLD_REASON_TOO_LONG',
  INVOICE_CONFIRMED: 'INVOICE_CONFIRMED',
  CLOSING_DAY_PASSED: 'CLOSING_DAY_PASSED',
  NOTHING_TO_SAVE: 'NOTHING_TO_SAVE',
} as const;
export type HoldErrorCode = (typeof HoldErrorCode)[keyof typeof HoldErrorCode];

export const holdErrors = {
  invoiceNotFound: (field: string) => userError(HoldErrorCode.INVOICE_NOT_FOUND, field, { en: 'No such invoice.', ja: '請求明細が見つかりません。' }),
  lineNotFound: (field: string) => userError(HoldErrorCode.LINE_NOT_FOUND, field, { en: 'This line is not on the invoice.', ja: '指定の明細はこの請求明細にありません。' }),
  reasonRequired: (field: string) => userError(HoldErrorCode.HOLD_REASON_REQUIRED, field, { en: 'Enter the reason for the hold.', ja: '変更・保留理由を入力してください。' }),
  reasonTooLong: (field: string) => userError(HoldErrorCode.HOLD_REASON_TOO_LONG, field, { en: `The reason may have at most ${HOLD_REASON_MAX} characters.`, ja: `変更・保留理由は${HOLD_REASON_MAX}文字以内で入力してください。` }),
  confirmed: () => userError(HoldErrorCode.INVOICE_CONFIRMED, 'invoiceId', { en: 'The invoice is confirmed and can no longer be changed.', ja: '確定済みの請求明細は変更できません。' }),
  closingDayPassed: (deadline: string) => userError(HoldErrorCode.CLOSING_DAY_PASSED, 'invoiceId', { en: `The closing day (${deadline}) has passed.`, ja: `締め日（${deadline}）を過ぎているため操作できません。` }),
  nothingToSave: () => userError(HoldErrorCode.NOTHING_TO_SAVE, null, { en: 'There is nothing to save.', ja: '保存する変更がありません。' }),
} satisfies Record<string, (...args: never[]) => UserError<HoldErrorCode>>;
