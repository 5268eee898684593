import { userError } from '@portal/subgraph-kit';
import { NAME_MAX_LENGTH } from './account.rule.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.rule.ts';

/** Error codes of account management and passwords (担当者情報変更・パスワード変更), in one place. */
export const ACCOUNT_ERRORS = {
  ACCOUNT_NOT_FOUND: { en: 'The account does not exist.', ja: '担当者が見つかりません。' },
  LOGIN_ID_INVALID: {
    en: 'The login ID must be 3 to 64 half-width letters, digits or . _ @ + -, starting with a letter or digit.',
    ja: 'ログインIDは半角英数字と . _ @ + - の3～64文字で、英数字で始めてください。',
  },
  LOGIN_ID_TAKEN: { en: 'This login ID is already in use.', ja: 'このログインIDは既に使用されています。' },
  NAME_REQUIRED: { en: 'Enter the name.', ja: '氏名を入力してください。' },
  NAME_TOO_LONG: { en: `The name can have at most ${NAME_MAX_LENGTH} characters.`, ja: `氏名は${NAME_MAX_LENGTH}文字以内で入力してください。` },
  EMAIL_INVALID: { en: 'Enter a valid e-mail address.', ja: 'メールアドレスの形式が正しくありません。' },
  PASSWORD_TOO_SHORT: { en: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`, ja: `パスワードは${PASSWORD_MIN_LENGTH}文字以上で入力してください。` },
  PASSWORD_TOO_LONG: { en: `The password can have at most ${PASSWORD_MAX_LENGTH} characters.`, ja: `パスワードは${PASSWORD_MAX_LENGTH}文字以内で入力してください。` },
  PASSWORD_TOO_COMMON: { en: 'This password is too common or too simple; choose another.', ja: 'よく使われている、または単純すぎるパスワードです。別のパスワードを入力してください。' },
  PASSWORD_CONTAINS_LOGIN_ID: { en: 'The password must not contain the login ID.', ja: 'パスワードにログインIDを含めることはできません。' },
  PASSWORD_UNCHANGED: { en: 'The new password is the same as the current one.', ja: '新しいパスワードが現在のパスワードと同じです。' },
  CURRENT_PASSWORD_INCORRECT: { en: 'The current password is incorrect.', ja: '現在のパスワードが正しくありません。' },
  TOO_MANY_ATTEMPTS: {
    en: 'Too many wrong current passwords from this address. Wait 15 minutes and try again.',
    ja: '現在のパスワードの誤りが続いたため、しばらく変更できません。15分ほど待ってから再度お試しください。',
  },
  LAST_ACCOUNT: { en: 'The only account of the member cannot be deleted.', ja: '登録が1名のみの場合は削除できません。' },
  LAST_ADMINISTRATOR: {
    en: 'This would leave the member without an administrator; make another account administrator first.',
    ja: '管理者がいなくなるため変更できません。先に他の担当者を管理者にしてください。',
  },
  RESET_OWN_PASSWORD: {
    en: 'Change your own password with changeMyPassword (it asks for the current password).',
    ja: 'ご自身のパスワードは「パスワード変更」から変更してください（現在のパスワードが必要です）。',
  },
} as const;
export type AccountErrorCode = keyof typeof ACCOUNT_ERRORS;

export const accountError = (code: AccountErrorCode, field: string | null) => userError(code, field, ACCOUNT_ERRORS[code]);
