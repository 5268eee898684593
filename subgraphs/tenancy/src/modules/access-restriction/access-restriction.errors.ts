import { userError } from '@portal/subgraph-kit';
import { MAX_ALLOW_LIST_ENTRIES, NOTE_MAX_LENGTH } from './allow-list.rule.ts';

/** Error codes of the IP access restriction (アクセス制限), in one place. */
export const ACCESS_RESTRICTION_ERRORS = {
  ADDRESS_INVALID: {
    en: 'Enter an IPv4 or IPv6 address, or a range in CIDR notation (e.g. 203.0.113.0/24).',
    ja: 'IPv4・IPv6アドレス、またはCIDR形式の範囲（例: 203.0.113.0/24）を入力してください。',
  },
  ADDRESS_DUPLICATE: { en: 'This address is already registered.', ja: 'このIPアドレスは既に登録されています。' },
  NOTE_TOO_LONG: { en: `The note can have at most ${NOTE_MAX_LENGTH} characters.`, ja: `メモは${NOTE_MAX_LENGTH}文字以内で入力してください。` },
  TOO_MANY_ENTRIES: { en: `At most ${MAX_ALLOW_LIST_ENTRIES} addresses can be registered.`, ja: `登録できるIPアドレスは${MAX_ALLOW_LIST_ENTRIES}件までです。` },
  ENTRY_NOT_FOUND: { en: 'The address entry does not exist.', ja: '対象のIPアドレスが見つかりません。' },
  LOCKOUT_NOT_CONFIRMED: {
    // Users read this: it names the choice in words, not the API flag (the client maps it to a checkbox).
    en: 'After this change your current address would be refused and you could no longer log in from here. Register your current address too, or confirm that you accept being locked out and save again.',
    ja: 'この変更により、現在お使いのIPアドレスからはログインできなくなります。現在のIPアドレスも登録するか、ログインできなくなることを承知のうえで「確認して保存」を選び、もう一度保存してください。',
  },
  MEMBER_NOT_FOUND: { en: 'No member has this member number.', ja: '該当する会員番号の法人会員が見つかりません。' },
} as const;
export type AccessRestrictionErrorCode = keyof typeof ACCESS_RESTRICTION_ERRORS;

export const accessRestrictionError = (code: AccessRestrictionErrorCode, field: string | null) => userError(code, field, ACCESS_RESTRICTION_ERRORS[code]);
