import { userError, type UserError } from '@portal/subgraph-kit';
import { CONTACT_KANA_MAX, FULL_WIDTH_LIMITS, type MemberInfoErrorCode, type MemberInfoField } from './member-info.rule.ts';

/**
 * Error codes of member information (法人会員情報変更), in one place. The messages name the field
 * and its limit, in English and Japanese; `field` is `input.<field>`.
 */
export const MEMBER_INFO_ERROR_CODES: readonly MemberInfoErrorCode[] = ['REQUIRED', 'TOO_LONG', 'NOT_FULL_WIDTH', 'NOT_HALF_WIDTH_KANA', 'POSTAL_CODE_INVALID', 'PHONE_INVALID'];

const LABELS: Record<MemberInfoField, { en: string; ja: string }> = {
  postalCode: { en: 'Postal code', ja: '郵便番号' },
  city: { en: 'City', ja: '市区郡' },
  street: { en: 'Street', ja: '町名番地' },
  building: { en: 'Building', ja: '建物名' },
  department: { en: 'Addressee 1 (department)', ja: '宛先1（部署名）' },
  contactName: { en: 'Addressee 2 (contact name)', ja: '宛先2（ご担当者名）' },
  contactKana: { en: 'Addressee 3 (contact name in kana)', ja: '宛先3（ご担当者名カナ）' },
  phone: { en: 'Phone', ja: '電話番号' },
  fax: { en: 'Fax', ja: 'FAX' },
};

function limitOf(field: MemberInfoField): number {
  return field === 'contactKana' ? CONTACT_KANA_MAX : (FULL_WIDTH_LIMITS as Record<string, number>)[field] ?? 0;
}

export function memberInfoError(field: MemberInfoField, code: MemberInfoErrorCode): UserError {
  const label = LABELS[field];
  const max = limitOf(field);
  const messages: Record<MemberInfoErrorCode, { en: string; ja: string }> = {
    REQUIRED: {
      en: `${label.en} is required.${field === 'contactName' ? ' Enter "ご担当者" when there is no individual contact.' : ''}`,
      ja: `${label.ja}を入力してください。${field === 'contactName' ? '特定の個人名が無い場合は「ご担当者」と入力してください。' : ''}`,
    },
    TOO_LONG: {
      en: `${label.en} can have at most ${max} ${field === 'contactKana' ? 'half-width' : 'full-width'} characters ("（株）" counts as one).`,
      ja: `${label.ja}は${field === 'contactKana' ? '半角' : '全角'}${max}文字以内で入力してください（「（株）」は1文字です）。`,
    },
    NOT_FULL_WIDTH: {
      en: `${label.en} contains characters that cannot be used (use full-width characters of the Japanese character set; no emoji or rare characters).`,
      ja: `${label.ja}に使用できない文字が含まれています（全角文字で入力してください。絵文字・機種依存文字の一部は使用できません）。`,
    },
    NOT_HALF_WIDTH_KANA: { en: `${label.en} must be in half-width katakana (e.g. ﾔﾏﾀﾞ ﾀﾛｳ).`, ja: `${label.ja}は半角カナで入力してください（例: ﾔﾏﾀﾞ ﾀﾛｳ）。` },
    POSTAL_CODE_INVALID: { en: 'Enter the postal code as 7 digits, e.g. 163-8001.', ja: '郵便番号は7桁の数字で入力してください（例: 163-8001）。' },
    PHONE_INVALID: { en: `${label.en} is not a valid Japanese phone number (e.g. 03-3000-0000).`, ja: `${label.ja}の形式が正しくありません（例: 03-3000-0000）。` },
  };
  return userError(code, `input.${field}`, messages[code]);
}
