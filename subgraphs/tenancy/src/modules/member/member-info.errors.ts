import { userError, type UserError } from '@portal/subgraph-kit';
import { CONTACT_KANA_MAX, FULL_WIDTH_LIMITS, type MemberInfoAdjustment, type MemberInfoErrorCode, type MemberInfoField } from './member-info.rule.ts';

/**
 * Error codes of member information (法人会員情報変更), in one place. The messages name the field
 * and its limit, in English and Japanese; `field` is `input.<field>`.
 */
export const MEMBER_INFO_ERROR_CODES: readonly MemberInfoErrorCode[] = ['REQUIRED', 'TOO_LONG', 'NOT_FULL_WIDTH', 'NOT_HALF_WIDTH_KANA', 'POSTAL_CODE_INVALID', 'PHONE_INVALID', 'OUTSOURCING_AGENT_ADDRESSEE'];

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
    // M:1828: the manual's own wording, and where to go instead.
    OUTSOURCING_AGENT_ADDRESSEE: {
      en: `${label.en} names another company: the addressee cannot be changed to an outsourcing agent (社宅代行会社) here. Please contact your branch (契約担当店, bottom left of the TOP page).`,
      ja: `${label.ja}に他社名が含まれています。変更後の宛先が社宅代行会社様になる場合は、こちらでは変更できません。TOP画面左下のお問い合わせ先（契約担当店）までお問い合わせ下さい。`,
    },
  };
  return userError(code, `input.${field}`, messages[code]);
}

/** The notice that tells the user a value was stored otherwise than typed (shown back, never silent). */
export function memberInfoAdjustment(a: MemberInfoAdjustment) {
  const label = LABELS[a.field];
  const messages =
    a.code === 'CONVERTED_TO_FULL_WIDTH'
      ? { en: `${label.en} was stored in full-width characters: "${a.stored}".`, ja: `${label.ja}は全角に変換して登録しました:「${a.stored}」` }
      : { en: `${label.en} was stored in its usual form: "${a.stored}".`, ja: `${label.ja}は標準の形式で登録しました:「${a.stored}」` };
  return { code: a.code, field: `input.${a.field}`, entered: a.entered, stored: a.stored, message: messages.en, messageJa: messages.ja };
}
