import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { lookupBranch, maskAccountNumber, normaliseAccountNumber, normaliseHolderKana, type ZenginBank } from './refund-account.rule.ts';

describe('normaliseHolderKana (半角カナ as banks use)', () => {
  it.each([
    ['カ）レオパレス２１', 'ｶ)ﾚｵﾊﾟﾚｽ21'],
    ['かぶしきがいしゃ　さんぷる', 'ｶﾌﾞｼｷｶﾞｲｼﾔ ｻﾝﾌﾟﾙ'],
    ['ｶﾌﾞｼｷｶﾞｲｼｬ ｻﾝﾌﾟﾙ', 'ｶﾌﾞｼｷｶﾞｲｼﾔ ｻﾝﾌﾟﾙ'],
    ['ジャパン・トラスト', 'ｼﾞﾔﾊﾟﾝ.ﾄﾗｽﾄ'],
    ['ｔｅｓｔ　ｃｏ', 'TEST CO'],
    ['  ヤマダ   タロウ  ', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['ヴィラ', 'ｳﾞｲﾗ'],
    ['コーポ', 'ｺｰﾎﾟ'],
  ])('%s → %s', (input, out) => {
    expect(normaliseHolderKana(input)).toBe(out);
  });

  it.each([['山田太郎'], [''], ['   '], ['ヤマダ★'], ['ア'.repeat(31)]])('refuses %j', (input) => {
    expect(normaliseHolderKana(input)).toBeNull();
  });

  it('accepts exactly 30 characters', () => {
    expect(normaliseHolderKana('ア'.repeat(30))).toBe('ｱ'.repeat(30));
  });
});

describe('account numbers', () => {
  it.each([
    ['1234567', '1234567'],
    ['１２３４５６７', '1234567'],
    ['1234', '0001234'],
    ['12345678', null],
    ['12a4567', null],
    ['', null],
  ])('%j → %j', (input, out) => {
    expect(normaliseAccountNumber(input)).toBe(out);
  });

  it('masks all but the last three digits', () => {
    expect(maskAccountNumber('1234567')).toBe('****567');
    expect(maskAccountNumber('0000001')).toBe('****001');
  });
});

describe('lookupBranch against the Zengin data (zengin-code)', () => {
  const data = createRequire(import.meta.url)('zengin-code') as Record<string, ZenginBank>;
  it('finds みずほ 東京営業部', () => {
    expect(lookupBranch(data, '0001', '001')).toEqual({ bankName: 'みずほ', branchName: '東京営業部' });
  });
  it('names the unknown part', () => {
    expect(lookupBranch(data, '9998', '001')).toEqual({ unknown: 'bank' });
    expect(lookupBranch(data, '0001', '999')).toEqual({ unknown: 'branch' });
    expect(lookupBranch(data, '1', '001')).toEqual({ unknown: 'bank' });
  });
});
