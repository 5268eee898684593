import iconv from 'iconv-lite';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/**
 * Member information rules (法人会員情報変更), free of GraphQL and the ORM:
 *
 * | field | required | rule |
 * |---|---|---|
 * | postalCode 郵便番号 | yes | 7 digits, `NNN-NNNN` or `NNNNNNN` (stored `NNN-NNNN`) |
 * | city 市区郡 | yes | full-width, at most 13 |
 * | street 町名番地 | yes | full-width, at most 13 |
 * | building 建物名 | no | full-width, at most 13 |
 * | department 宛先1（部署名） | no | full-width, at most 30 |
 * | contactName 宛先2（ご担当者名） | yes | full-width, at most 9 ("ご担当者" when no individual) |
 * | contactKana 宛先3（ご担当者名カナ） | no | half-width katakana, at most 20 |
 * | phone 電話番号 | yes | a valid Japanese number (e.g. 03-3000-0000), stored hyphenated |
 * | fax FAX | no | as phone |
 *
 * "Full-width" (全角) fields: what the user types is folded to full-width first (half-width
 * letters, digits, symbols, spaces and katakana become their full-width forms, as the manual's own
 * example "2-8-1 7F" shows), "（株）"/"(株)" and the other parenthesised abbreviations become the
 * one character the manual counts them as (㈱), and then every character must be a double-byte
 * character of the Japanese Windows character set (CP932), the set the contract documents print.
 * Lengths count characters (code points). Half-width kana (半角カナ) is not folded: full-width kana
 * there is refused, as the screen does.
 *
 * Folding is not silent: `adjustmentsOf` lists every field stored otherwise than it was typed
 * (beyond surrounding spaces), and the mutation's answer carries that list with the stored value,
 * so the form can show "stored as …". We fold rather than refuse because the manual's own example
 * input ("2-8-1 7F" in a 全角 field, M:1836) is half-width: refusing it would refuse the manual.
 */

export const MEMBER_INFO_FIELDS = ['postalCode', 'city', 'street', 'building', 'department', 'contactName', 'contactKana', 'phone', 'fax'] as const;
export type MemberInfoField = (typeof MEMBER_INFO_FIELDS)[number];
const ERROR_CODES = ['REQUIRED', 'TOO_LONG', 'NOT_FULL_WIDTH', 'NOT_HALF_WIDTH_KANA', 'POSTAL_CODE_INVALID', 'PHONE_INVALID', 'OUTSOURCING_AGENT_ADDRESSEE'] as const;
export type MemberInfoErrorCode = (typeof ERROR_CODES)[number];

export const FULL_WIDTH_LIMITS = { city: 13, street: 13, building: 13, department: 30, contactName: 9 } as const;
export const CONTACT_KANA_MAX = 20;


/** Characters that look alike but differ between Unicode keyboards (macOS) and CP932. */
const CP932_LOOKALIKES: Record<string, string> = { '\u301C': '\uFF5E', '\u2212': '\uFF0D', '\u2014': '\u2015' };

export function toFullWidth(text: string): string {
  let s = text.normalize('NFC');
  s = s.replace(/[\uFF61-\uFF9F]+/g, (m) => m.normalize('NFKC'));
  s = s.replace(/[\u0021-\u007E]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
  s = s.replace(/[\u301C\u2212\u2014]/g, (c) => CP932_LOOKALIKES[c]!);
  for (const [from, to] of PARENTHESISED) s = s.replaceAll(from, to);
  return s;
}

/** Every character is a double-byte character of CP932 (so it prints, and counts as 全角). */
export function isFullWidthText(text: string): boolean {
  for (const ch of text) {
    const bytes = iconv.encode(ch, 'cp932');
    if (bytes.length !== 2 || iconv.decode(bytes, 'cp932') !== ch) return false;
  }
  return true;
}

/**
 * "（株）" → "㈱": the parenthesised ideographs U+3220–U+3243 derived from Unicode (NFKC of ㈱ is
 * "(株)"), kept where the document character set has them as one character (㈱ ㈲ ㈹).
 */
const PARENTHESISED: [string, string][] = [];
for (let cp = 0x3220; cp <= 0x3243; cp++) {
  const ch = String.fromCodePoint(cp);
  if (!isFullWidthText(ch)) continue;
  PARENTHESISED.push([`（${ch.normalize('NFKC').slice(1, -1)}）`, ch]);
}

export const characterCount = (text: string) => [...text].length;

const HALF_WIDTH_KANA = /^[\uFF61-\uFF9F ]+$/;
export const isHalfWidthKana = (text: string) => HALF_WIDTH_KANA.test(text);

export function normalizePostalCode(text: string): string | null {
  const match = /^〒?\s*(\d{3})-?(\d{4})$/.exec(text.normalize('NFKC').trim().replace(/[‐－―ー]/g, '-'));
  return match ? `${match[1]}-${match[2]}` : null;
}

/** A valid Japanese phone number in its usual hyphenated form (03-3000-0000, 090-1234-5678), or null. */
export function normalizePhone(text: string): string | null {
  const s = text.normalize('NFKC').trim().replace(/[‐－―ー]/g, '-');
  if (!/^\+?[0-9][0-9\- ()]{8,18}$/.test(s)) return null;
  const parsed = parsePhoneNumberFromString(s, 'JP');
  if (!parsed || parsed.country !== 'JP' || !parsed.isValid()) return null;
  return parsed.formatNational();
}

const blankToNull = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? null : v);

function fullWidth(max: number, required: boolean) {
  return z
    .string()
    .nullish()
    .transform((v, ctx) => {
      const raw = blankToNull(v);
      if (raw === null) {
        if (required) ctx.addIssue({ code: 'custom', message: 'REQUIRED' });
        return null;
      }
      const text = toFullWidth(raw.trim());
      if (!isFullWidthText(text)) ctx.addIssue({ code: 'custom', message: 'NOT_FULL_WIDTH' });
      else if (characterCount(text) > max) ctx.addIssue({ code: 'custom', message: 'TOO_LONG' });
      return text;
    });
}

const contactKana = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    const raw = blankToNull(v);
    if (raw === null) return null;
    const text = raw.trim();
    if (!isHalfWidthKana(text)) ctx.addIssue({ code: 'custom', message: 'NOT_HALF_WIDTH_KANA' });
    else if (characterCount(text) > CONTACT_KANA_MAX) ctx.addIssue({ code: 'custom', message: 'TOO_LONG' });
    return text;
  });

function phone(required: boolean) {
  return z
    .string()
    .nullish()
    .transform((v, ctx) => {
      const raw = blankToNull(v);
      if (raw === null) {
        if (required) ctx.addIssue({ code: 'custom', message: 'REQUIRED' });
        return null;
      }
      const normalized = normalizePhone(raw);
      if (!normalized) ctx.addIssue({ code: 'custom', message: 'PHONE_INVALID' });
      return normalized;
    });
}

const postalCode = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    const raw = blankToNull(v);
    if (raw === null) {
      ctx.addIssue({ code: 'custom', message: 'REQUIRED' });
      return null;
    }
    const normalized = normalizePostalCode(raw);
    if (!normalized) ctx.addIssue({ code: 'custom', message: 'POSTAL_CODE_INVALID' });
    return normalized;
  });

/** The whole form at once: every field is checked, every problem reported, nothing half-applied. */
export const memberInfoInput = z.object({
  postalCode,
  city: fullWidth(FULL_WIDTH_LIMITS.city, true),
  street: fullWidth(FULL_WIDTH_LIMITS.street, true),
  building: fullWidth(FULL_WIDTH_LIMITS.building, false),
  department: fullWidth(FULL_WIDTH_LIMITS.department, false),
  contactName: fullWidth(FULL_WIDTH_LIMITS.contactName, true),
  contactKana,
  phone: phone(true),
  fax: phone(false),
});
export type MemberInfo = { [K in MemberInfoField]: string | null };

export type MemberInfoCheck = { ok: true; value: MemberInfo } | { ok: false; errors: { field: MemberInfoField; code: MemberInfoErrorCode }[] };

export function checkMemberInfo(input: unknown): MemberInfoCheck {
  const parsed = memberInfoInput.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: { field: MemberInfoField; code: MemberInfoErrorCode }[] = [];
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as MemberInfoField;
    if (errors.some((e) => e.field === field)) continue;
    errors.push({ field, code: (ERROR_CODES as readonly string[]).includes(issue.message) ? (issue.message as MemberInfoErrorCode) : 'REQUIRED' });
  }
  return { ok: false, errors };
}

export type MemberInfoAdjustmentCode = 'CONVERTED_TO_FULL_WIDTH' | 'REFORMATTED';
export interface MemberInfoAdjustment {
  field: MemberInfoField;
  code: MemberInfoAdjustmentCode;
  entered: string;
  stored: string;
}

const FULL_WIDTH_FIELDS: ReadonlySet<MemberInfoField> = new Set(Object.keys(FULL_WIDTH_LIMITS) as MemberInfoField[]);

/**
 * Fields whose stored value differs from what was typed (surrounding spaces aside): 全角 fields
 * folded to full-width (`CONVERTED_TO_FULL_WIDTH`), postal code and phone numbers put in their
 * usual form (`REFORMATTED`). Pure: compares the raw form with the checked value.
 */
export function adjustmentsOf(raw: Partial<Record<MemberInfoField, string | null | undefined>>, value: MemberInfo): MemberInfoAdjustment[] {
  const out: MemberInfoAdjustment[] = [];
  for (const field of MEMBER_INFO_FIELDS) {
    const entered = raw[field]?.trim();
    const stored = value[field];
    if (!entered || stored === null || entered === stored) continue;
    out.push({ field, code: FULL_WIDTH_FIELDS.has(field) ? 'CONVERTED_TO_FULL_WIDTH' : 'REFORMATTED', entered, stored });
  }
  return out;
}

/**
 * 宛先2 is either a contact person (◎ご担当者名, printed with 様) or a company/organisation name
 * (○会社名、組織名, printed with 御中), M:1840. The refund statement prints it with this honorific.
 */
export const ADDRESSEE_KINDS = ['CONTACT_PERSON', 'ORGANISATION'] as const;
export type AddresseeKind = (typeof ADDRESSEE_KINDS)[number];
export const addresseeHonorific = (kind: AddresseeKind): '様' | '御中' => (kind === 'ORGANISATION' ? '御中' : '様');

/** Corporate forms that make a text name a company (after `toFullWidth`, （株） is ㈱). */
const CORPORATE_FORMS = ['株式会社', '有限会社', '合同会社', '合資会社', '合名会社', '一般社団法人', '一般財団法人', '公益社団法人', '公益財団法人', '㈱', '㈲', '㈾', '㈴', '㈳', '㈶'];
const AGENT_WORDS = /社宅代行|代行会社|社宅管理代行/;
const SPACES = /[\s\u3000]+/g;
const stripCorporateForm = (text: string) => CORPORATE_FORMS.reduce((s, form) => s.replaceAll(form, ''), toFullWidth(text).replace(SPACES, ''));

/**
 * Whether an addressee line would send the member's documents to an outsourcing agent
 * (社宅代行会社), which the manual does not allow here (M:1828: "変更後の内容が社宅代行会社様になる
 * 場合は変更できません", to be arranged with the branch). We cannot know every agent by name, so
 * the rule is what the text itself says: it names an agent (社宅代行, 代行会社), or it names a
 * company (a corporate form such as 株式会社 or ㈱) that is not the member itself. The member's own
 * name with a unit after it (㈱サンプル 経理部 for 株式会社サンプル) is its own.
 */
export function namesOutsourcingAgent(line: string | null, memberName: string): boolean {
  if (!line) return false;
  const text = toFullWidth(line);
  if (AGENT_WORDS.test(text.normalize('NFKC'))) return true;
  const own = stripCorporateForm(memberName);
  return text
    .split(SPACES)
    .filter((token) => CORPORATE_FORMS.some((form) => token.includes(form)))
    .some((token) => {
      const core = stripCorporateForm(token);
      return core.length > 0 && !(own.length > 0 && core.startsWith(own));
    });
}

/** The first addressee field that names an outsourcing agent (宛先1 or 宛先2), or null. */
export function outsourcingAgentField(value: Pick<MemberInfo, 'department' | 'contactName'>, memberName: string): 'department' | 'contactName' | null {
  if (namesOutsourcingAgent(value.contactName, memberName)) return 'contactName';
  if (namesOutsourcingAgent(value.department, memberName)) return 'department';
  return null;
}
