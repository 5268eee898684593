import jaconvModule from 'jaconv';

// jaconv ships an ESM build and a CJS build whose typings disagree on the default export; take whichever holds the functions.
type Jaconv = { toKatakana(s: string): string; toHanKana(s: string): string };
const jaconv: Jaconv = ((jaconvModule as unknown as { default?: Jaconv }).default ?? jaconvModule) as unknown as Jaconv;

/** Longest holder name in kana a transfer record carries (全銀フォーマット 受取人名 30 桁). */
export const HOLDER_KANA_MAX = 30;
const SMALL_TO_LARGE: Record<string, string> = { ァ: 'ア', ィ: 'イ', ゥ: 'ウ', ェ: 'エ', ォ: 'オ', ッ: 'ツ', ャ: 'ヤ', ュ: 'ユ', ョ: 'ヨ', ヮ: 'ワ', ヵ: 'カ', ヶ: 'ケ' };
/** What banks accept in a holder name: half-width katakana (no small kana), A–Z, 0–9, space and ( ) . , - / */
const BANK_KANA = /^[0-9A-Zｦｱ-ﾝﾞﾟｰ ().,\-/]+$/;

/**
 * The account holder's name as banks want it (半角カナ): whatever the member typed — hiragana,
 * full-width or half-width katakana, full-width letters — becomes half-width katakana with small kana
 * made large (ｯ → ﾂ, as transfer records do), upper-case letters, one space between words, the middle
 * dot as '.'. Null when something remains that banks refuse (kanji, symbols) or it is empty/too long.
 */
export function normaliseHolderKana(input: string): string | null {
  let s = input.normalize('NFKC');
  s = jaconv.toKatakana(s);
  s = s.replace(/[ァィゥェォッャュョヮヵヶ]/g, (c) => SMALL_TO_LARGE[c]!);
  s = s.toUpperCase().replace(/[・･]/g, '.').replace(/[\s\u3000]+/g, ' ').trim();
  s = jaconv.toHanKana(s).replace(/[‐－—―]/g, '-');
  if (!s || s.length > HOLDER_KANA_MAX || !BANK_KANA.test(s)) return null;
  return s;
}

/** An account number as lists and logs show it: only the last three digits (****567). */
export function maskAccountNumber(accountNumber: string): string {
  return `${'*'.repeat(Math.max(0, accountNumber.length - 3))}${accountNumber.slice(-3)}`;
}

/** Account numbers are 7 digits; shorter ones are written with leading zeros (1234 → 0001234). */
export function normaliseAccountNumber(input: string): string | null {
  const digits = input.normalize('NFKC').replace(/[\s-]/g, '');
  if (!/^\d{1,7}$/.test(digits)) return null;
  return digits.padStart(7, '0');
}

export interface ZenginBank {
  name: string;
  branches: Record<string, { name: string }>;
}

/** Bank and branch by code, from the Zengin data; which of the two is unknown otherwise. */
export function lookupBranch(data: Readonly<Record<string, ZenginBank>>, bankCode: string, branchCode: string): { bankName: string; branchName: string } | { unknown: 'bank' | 'branch' } {
  const bank = /^\d{4}$/.test(bankCode) ? data[bankCode] : undefined;
  if (!bank) return { unknown: 'bank' };
  const branch = /^\d{3}$/.test(branchCode) ? bank.branches[branchCode] : undefined;
  if (!branch) return { unknown: 'branch' };
  return { bankName: bank.name, branchName: branch.name };
}
