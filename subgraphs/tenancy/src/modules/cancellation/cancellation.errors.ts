import { userError, type UserError } from '@portal/subgraph-kit';

/**
 * Every expected failure of the cancellation area, in one place: the code clients switch on and
 * the message in both languages. The GraphQL enum `CancellationErrorCode` lists the same codes
 * (a test compares them).
 */
export const CANCELLATION_ERRORS = {
  ROOM_NOT_LEASED: { en: 'The room is not leased by your company.', ja: '貴社がご利用中のお部屋ではありません。' },
  ALREADY_CANCELLING: { en: 'A cancellation has already been filed for this room.', ja: 'このお部屋は既に解約申し入れ済みです。' },
  DATE_WITHIN_7_DAYS: {
    en: 'A cancellation date within 7 days of today (or in the past) cannot be accepted. Please contact your branch.',
    ja: '7日以内の解約は受付できません。弊社担当者までご連絡ください。',
  },
  DATE_IN_YEAR_END_CLOSURE: {
    en: 'A cancellation date in the year-end/new-year holidays (Dec 29 - Jan 3) cannot be accepted. Please contact your branch.',
    ja: '年末年始（12月29日～1月3日）の解約は受付できません。弊社担当者までご連絡ください。',
  },
  DATE_AFTER_LEASE_END: { en: 'The cancellation date is after the end of the lease.', ja: '中途解約日が契約終了日より後になっています。' },
  DATE_UNCHANGED: { en: 'The new cancellation date is the same as the current one.', ja: '変更後の中途解約日が現在の中途解約日と同じです。' },
  REASON_REQUIRED: { en: 'Select at least one reason.', ja: '解約理由を選択してください。' },
  TOO_MANY_REASONS: { en: 'Select at most 5 reasons.', ja: '解約理由は5つまで選択可能です。' },
  DUPLICATE_REASON: { en: 'A reason is selected twice.', ja: '同じ解約理由が重複しています。' },
  CONTACT_NAME_INVALID: { en: 'Enter the contact name (1 to 30 characters).', ja: '連絡先氏名を30文字以内で入力してください。' },
  CONTACT_PHONE_INVALID: { en: 'Enter the contact phone number, e.g. 03-3000-0000.', ja: '連絡先電話番号を正しく入力してください（例：03-3000-0000）。' },
  APPROVALS_INVALID: { en: 'The number of approvals must be 0 or more.', ja: '承認人数は0名以上で入力してください。' },
  NOT_ENOUGH_APPROVERS: {
    en: 'Your company has fewer other accounts with cancellation request permission than the approvals required.',
    ja: '承認人数が、解約依頼の権限を持つ他の担当者の人数を超えています。',
  },
  NOT_FOUND: { en: 'No such cancellation.', ja: '該当する解約申し入れがありません。' },
  NOT_AWAITING_APPROVAL: { en: 'The cancellation is not awaiting approval.', ja: 'この解約申し入れは承認待ちではありません。' },
  CANNOT_APPROVE_OWN: { en: 'You cannot approve or deny your own request.', ja: 'ご自身の申し入れは承認・否認できません。' },
  ALREADY_DECIDED: { en: 'You have already approved this request.', ja: '既に承認済みです。' },
  DENIAL_REASON_REQUIRED: { en: 'Enter the reason for the denial (1 to 200 characters).', ja: '否認理由を200文字以内で入力してください。' },
  DATE_CHANGE_ALREADY_USED: {
    en: 'The cancellation date can be changed only once. Please contact your branch.',
    ja: '中途解約日の変更は1回限りです。弊社担当店舗までご連絡ください。',
  },
  WITHDRAWAL_ALREADY_USED: {
    en: 'A cancellation can be withdrawn only once. Please contact your branch.',
    ja: '解約申し入れの取り消しは1回限りです。弊社担当店舗までご連絡ください。',
  },
  CURRENT_DATE_WITHIN_7_DAYS: {
    en: 'The cancellation date is within 7 days; it can no longer be changed or withdrawn here. Please contact your branch.',
    ja: '中途解約日まで7日以内のため変更・取り消しができません。担当店舗までご相談ください。',
  },
  CHANGE_PENDING: {
    en: 'A change or withdrawal is already being processed; check the result after 8:00.',
    ja: '中途解約日変更（取消）受付中です。午前8:00以降に結果をご確認ください。',
  },
  CHANGE_NOT_ALLOWED: {
    en: 'This cancellation cannot be changed or withdrawn in its current status.',
    ja: '現在の状態では中途解約日の変更・取り消しができません。',
  },
  CONSENT_REQUIRED: {
    en: 'Consent is required to change the date at the witness\'s request.',
    ja: '立会者希望による解約日の変更には同意が必要です。',
  },
  CONFIRMATION_REQUIRED: { en: 'Confirm the withdrawal of this cancellation.', ja: 'この解約申し入れを取り消します。よろしいですか？（確認が必要です）' },
  NEXT_LEASE_DECIDED: {
    en: 'The next lease for this room has already been decided, so the cancellation cannot be changed or withdrawn.',
    ja: '該当のお部屋は、既に次の契約が決まっている為変更ができません。',
  },
  INVALID_STATUS: { en: 'Not possible in the cancellation\'s current status.', ja: '現在の状態では実行できません。' },
  STATEMENT_ALREADY_PUBLISHED: { en: 'A settlement statement has already been published for this cancellation.', ja: 'この解約の解約清算明細書は既に発行済みです。' },
  STATEMENT_LINES_INVALID: { en: 'Enter 1 to 50 lines, each with a description (1 to 40 characters) and an amount in yen.', ja: '明細は1～50行、各行に摘要（40文字以内）と金額（円）を入力してください。' },
  STATEMENT_NOT_FOUND: { en: 'No such settlement statement.', ja: '該当する解約清算明細書がありません。' },
  TOO_MANY_STATEMENTS: { en: 'Select 1 to 100 settlement statements.', ja: '解約清算明細書は1～100件選択してください。' },
  DATE_INVALID: { en: 'Not a valid date.', ja: '日付が正しくありません。' },
} as const satisfies Record<string, { en: string; ja: string }>;

export type CancellationErrorCode = keyof typeof CANCELLATION_ERRORS;
export const CANCELLATION_ERROR_CODES = Object.keys(CANCELLATION_ERRORS) as CancellationErrorCode[];

export function cancellationError(code: CancellationErrorCode, field: string | null): UserError<CancellationErrorCode> {
  return userError(code, field, CANCELLATION_ERRORS[code]);
}
