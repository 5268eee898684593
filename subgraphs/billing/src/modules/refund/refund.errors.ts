import { userError } from '@portal/subgraph-kit';

/** Expected failures of refund accounts, in one place. */
export const RefundErrorCode = {
  UNKNOWN_BANK: 'UNKNOWN_BANK',
  UNKNOWN_BRANCH: 'UNKNOWN_BRANCH',
  INVALID_ACCOUNT_NUMBER: 'INVALID_ACCOUNT_NUMBER',
  INVALID_HOLDER_KANA: 'INVALID_HOLDER_KANA',
  HOLDER_NAME_REQUIRED: 'HOLDER_NAME_REQUIRED',
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
} as const;

export const refundErrors = {
  unknownBank: () => userError(RefundErrorCode.UNKNOWN_BANK, 'bankCode', { en: 'No bank has this code (Zengin bank code, 4 digits).', ja: '金融機関コードが見つかりません（4桁）。' }),
  unknownBranch: () => userError(RefundErrorCode.UNKNOWN_BRANCH, 'branchCode', { en: 'The bank has no branch with this code (3 digits).', ja: '支店コードが見つかりません（3桁）。' }),
  accountNumber: () => userError(RefundErrorCode.INVALID_ACCOUNT_NUMBER, 'accountNumber', { en: 'The account number has up to 7 digits.', ja: '口座番号は7桁以内の数字で入力してください。' }),
  holderKana: () => userError(RefundErrorCode.INVALID_HOLDER_KANA, 'holderKana', { en: 'Enter the holder in kana (up to 30 characters; letters, digits and ( ) . , - / allowed).', ja: '口座名義（フリガナ）はカナ30文字以内で入力してください（英数字と ( ) . , - / も使えます）。' }),
  holderName: () => userError(RefundErrorCode.HOLDER_NAME_REQUIRED, 'holderName', { en: 'Enter the account holder (up to 60 characters).', ja: '口座名義を60文字以内で入力してください。' }),
  roomNotFound: () => userError(RefundErrorCode.ROOM_NOT_FOUND, 'roomId', { en: 'No such room of the member in billing.', ja: '指定の部屋が見つかりません。' }),
  accountNotFound: () => userError(RefundErrorCode.ACCOUNT_NOT_FOUND, 'roomId', { en: 'No refund account is registered there.', ja: '返金口座が登録されていません。' }),
};
