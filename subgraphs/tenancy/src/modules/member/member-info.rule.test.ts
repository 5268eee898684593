import { describe, expect, it } from 'vitest';
import { addresseeHonorific, adjustmentsOf, checkMemberInfo, isFullWidthText, namesOutsourcingAgent, normalizePhone, normalizePostalCode, outsourcingAgentField, toFullWidth } from './member-info.rule.ts';
import { lookupPostalCode } from './postal-code.ts';

const valid = {
  postalCode: '163-8001',
  city: '東京都新宿区',
  street: '西新宿２－８－１',
  building: '都庁第一本庁舎７Ｆ',
  department: '経理部',
  contactName: 'レオパ太郎',
  contactKana: 'ﾚｵﾊﾟ ﾀﾛｳ',
  phone: '03-3000-0000',
  fax: '03-3000-0001',
};
const errorsOf = (patch: Record<string, unknown>) => {
  const r = checkMemberInfo({ ...valid, ...patch });
  return r.ok ? [] : r.errors;
};

describe('full-width limits, counted as the manual counts them', () => {
  it.each([
    ['city', 13],
    ['street', 13],
    ['building', 13],
    ['department', 30],
    ['contactName', 9],
  ])('%s: %i characters pass, one more is TOO_LONG', (field, max) => {
    expect(errorsOf({ [field]: '東'.repeat(max) })).toEqual([]);
    expect(errorsOf({ [field]: '東'.repeat(max + 1) })).toEqual([{ field, code: 'TOO_LONG' }]);
  });

  it('counts （株） and (株) as one character', () => {
    expect(toFullWidth('（株）サンプル')).toBe('㈱サンプル');
    expect(toFullWidth('(株)サンプル')).toBe('㈱サンプル');
    expect(toFullWidth('（有）')).toBe('㈲');
    // 9 characters once （株） is one: accepted as contact name (limit 9) though 11 were typed
    expect(errorsOf({ contactName: '（株）サンプル商事御中' })).toEqual([]);
    expect(errorsOf({ contactName: '（株）サンプル商事御中様' })).toEqual([{ field: 'contactName', code: 'TOO_LONG' }]);
    // only the abbreviations the document character set has as one character are folded
    expect(toFullWidth('（一）')).toBe('（一）');
  });

  it('folds half-width letters, digits, spaces and katakana to full-width before counting', () => {
    expect(toFullWidth('2-8-1 7F')).toBe('２－８－１\u3000７Ｆ');
    expect(toFullWidth('ｻﾝﾌﾟﾙ')).toBe('サンプル');
    expect(errorsOf({ street: '西新宿 2-8-1 7F' })).toEqual([]);
    const r = checkMemberInfo({ ...valid, building: '2-8-1 7F' });
    expect(r.ok && r.value.building).toBe('２－８－１\u3000７Ｆ');
  });

  it('refuses characters outside the Japanese double-byte set', () => {
    expect(isFullWidthText('髙橋㈱①～')).toBe(true);
    expect(errorsOf({ city: '東京都😀' })).toEqual([{ field: 'city', code: 'NOT_FULL_WIDTH' }]);
    expect(errorsOf({ street: '𠮷野町' })).toEqual([{ field: 'street', code: 'NOT_FULL_WIDTH' }]);
    // A macOS wave dash is taken as the Windows one
    expect(errorsOf({ building: 'ビル1〜2F' })).toEqual([]);
  });
});

describe('required and optional fields', () => {
  it.each(['postalCode', 'city', 'street', 'contactName', 'phone'])('%s is REQUIRED', (field) => {
    expect(errorsOf({ [field]: '' })).toEqual([{ field, code: 'REQUIRED' }]);
    expect(errorsOf({ [field]: '   ' })).toEqual([{ field, code: 'REQUIRED' }]);
  });

  it.each(['building', 'department', 'contactKana', 'fax'])('%s may be empty (stored as null)', (field) => {
    const r = checkMemberInfo({ ...valid, [field]: '' });
    expect(r.ok && r.value[field as keyof typeof r.value]).toBeNull();
    expect(errorsOf({ [field]: null })).toEqual([]);
  });
});

describe('contact kana (半角カナ20)', () => {
  it.each([
    ['ﾔﾏﾀﾞ ﾀﾛｳ', null],
    ['ｱ'.repeat(20), null],
    ['ｱ'.repeat(21), 'TOO_LONG'],
    ['ﾀﾞ'.repeat(10), null], // a voiced mark is a character of its own: 20
    ['ﾀﾞ'.repeat(10) + 'ｱ', 'TOO_LONG'],
    ['ヤマダ タロウ', 'NOT_HALF_WIDTH_KANA'],
    ['やまだ', 'NOT_HALF_WIDTH_KANA'],
    ['YAMADA', 'NOT_HALF_WIDTH_KANA'],
    ['山田', 'NOT_HALF_WIDTH_KANA'],
  ])('%s → %s', (kana, code) => {
    expect(errorsOf({ contactKana: kana })).toEqual(code ? [{ field: 'contactKana', code }] : []);
  });
});

describe('phone and fax', () => {
  it.each([
    ['03-3000-0000', '03-3000-0000'],
    ['0330000000', '03-3000-0000'],
    ['０３－３０００－００００', '03-3000-0000'],
    ['090-1234-5678', '090-1234-5678'],
    ['0120-123-456', '0120-123-456'],
    ['+81 3 3000 0000', '03-3000-0000'],
    ['03-3000-000', null],
    ['03-0000-0000', null],
    ['3000-0000', null],
    ['03-3000-0000 内線12', null],
    ['phone', null],
    ['+1 212 555 0100', null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it('names the failing field', () => {
    expect(errorsOf({ phone: '03-3000-000' })).toEqual([{ field: 'phone', code: 'PHONE_INVALID' }]);
    expect(errorsOf({ fax: 'abc' })).toEqual([{ field: 'fax', code: 'PHONE_INVALID' }]);
  });
});

describe('postal code', () => {
  it.each([
    ['163-8001', '163-8001'],
    ['1638001', '163-8001'],
    ['〒163-8001', '163-8001'],
    ['１６３－８００１', '163-8001'],
    ['163-800', null],
    ['16380011', null],
    ['abc-defg', null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePostalCode(raw)).toBe(expected);
  });
});

it('reports every failing field at once', () => {
  expect(errorsOf({ city: '東'.repeat(14), contactKana: 'ヤマダ', phone: '12' }).map((e) => e.field)).toEqual(['city', 'contactKana', 'phone']);
});

describe('postal-code lookup (offline data)', () => {
  it('finds the town of a residential code and nothing for a business code or garbage', () => {
    expect(lookupPostalCode('104-0061')).toEqual([{ postalCode: '104-0061', prefecture: '東京都', city: '中央区', town: '銀座' }]);
    expect(lookupPostalCode('1040061')).toHaveLength(1);
    expect(lookupPostalCode('163-8001')).toEqual([]);
    expect(lookupPostalCode('x')).toEqual([]);
  });
});

describe('folding is shown back, not silent (adjustmentsOf)', () => {
  const adjusted = (patch: Record<string, string | null>) => {
    const input = { ...valid, ...patch };
    const r = checkMemberInfo(input);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return adjustmentsOf(input, r.value);
  };

  it('names each full-width field whose half-width letters, digits or spaces were converted, with the stored value', () => {
    expect(adjusted({ building: '都庁 7F' })).toEqual([{ field: 'building', code: 'CONVERTED_TO_FULL_WIDTH', entered: '都庁 7F', stored: '都庁\u3000７Ｆ' }]);
    expect(adjusted({ contactName: 'Leo太郎' })).toEqual([{ field: 'contactName', code: 'CONVERTED_TO_FULL_WIDTH', entered: 'Leo太郎', stored: 'Ｌｅｏ太郎' }]);
    expect(adjusted({ department: '（株）経理部' })).toEqual([{ field: 'department', code: 'CONVERTED_TO_FULL_WIDTH', entered: '（株）経理部', stored: '㈱経理部' }]);
  });

  it('says nothing when the value was stored as typed (already full-width, surrounding spaces only, or empty)', () => {
    expect(adjusted({})).toEqual([]);
    expect(adjusted({ building: '  都庁７Ｆ ' })).toEqual([]);
    expect(adjusted({ building: '', fax: null })).toEqual([]);
  });

  it('reports postal codes and phone numbers put in their usual form', () => {
    expect(adjusted({ postalCode: '1638001', phone: '0330000000' })).toEqual([
      { field: 'postalCode', code: 'REFORMATTED', entered: '1638001', stored: '163-8001' },
      { field: 'phone', code: 'REFORMATTED', entered: '0330000000', stored: '03-3000-0000' },
    ]);
  });
});

describe('addressee 2: contact person or organisation (M:1840), never an outsourcing agent (M:1828)', () => {
  it('prints 様 after a person and 御中 after an organisation', () => {
    expect(addresseeHonorific('CONTACT_PERSON')).toBe('様');
    expect(addresseeHonorific('ORGANISATION')).toBe('御中');
  });

  it.each([
    // the member itself, with or without its corporate form, with a unit after it
    ['株式会社サンプル', '㈱サンプル', false],
    ['株式会社サンプル', '（株）サンプル経理部', false],
    ['株式会社サンプル', 'サンプル 経理部', false],
    ['(株)サンプル', '株式会社サンプル　総務課', false],
    // no company named at all: a person, a unit, ご担当者
    ['株式会社サンプル', 'レオパ太郎', false],
    ['株式会社サンプル', 'ご担当者', false],
    ['株式会社サンプル', '総務部 社宅担当', false],
    [
      '株式会社サンプル',
      null,
      false,
    ],
    // another company, however written
    ['株式会社サンプル', '㈱リロケーション', true],
    ['株式会社サンプル', '(株)社宅サービス', true],
    ['株式会社サンプル', '日本社宅株式会社', true],
    ['株式会社サンプル', '経理部 ㈲ハウジング', true],
    ['株式会社サンプル', '株式会社', false], // only the form, no company: nothing to compare
    ['株式会社サンプル', '㈱サンプ', true], // a prefix of the member's name is another name
    // what names an agent whatever the company
    ['株式会社サンプル', '社宅代行センター', true],
    ['株式会社サンプル', 'サンプル代行会社', true],
  ])('member %s, addressee line %s → agent: %s', (memberName, line, agent) => {
    expect(namesOutsourcingAgent(line, memberName)).toBe(agent);
  });

  it('names the field at fault, addressee 2 first', () => {
    expect(outsourcingAgentField({ department: '㈱他社', contactName: '㈱他社' }, '株式会社サンプル')).toBe('contactName');
    expect(outsourcingAgentField({ department: '㈱他社 経理部', contactName: 'ご担当者' }, '株式会社サンプル')).toBe('department');
    expect(outsourcingAgentField({ department: '経理部', contactName: 'レオパ太郎' }, '株式会社サンプル')).toBeNull();
  });
});
