import { describe, expect, it } from 'vitest';
import { RECIPIENT_CODE_MAX_LENGTH, isValidRecipientCode, isValidVerificationCode } from './recipient-code.rule.ts';

describe('isValidRecipientCode', () => {
  const cases: [string, boolean][] = [
    ['Test_uketori_123', true],
    ['Jinji-0123', true],
    ['19960425', true],
    ['a', true],
    ['soumu@example.co.jp', true],
    ['a+b.c_d@e&f-g', true],
    ['x'.repeat(RECIPIENT_CODE_MAX_LENGTH), true],
    ['x'.repeat(RECIPIENT_CODE_MAX_LENGTH + 1), false],
    ['', false],
    ['has space', false],
    ['colon:no', false],
    ['slash/no', false],
    ['ＡＢＣ', false],
    ['受取', false],
    ['ｳｹﾄﾘ', false],
    ['tab\t', false],
    ['line\n', false],
  ];
  it.each(cases)('%j → %s', (code, expected) => {
    expect(isValidRecipientCode(code)).toBe(expected);
  });
});

describe('isValidVerificationCode', () => {
  const cases: [string, boolean][] = [
    ['1111', true],
    ['0000', true],
    ['123', false],
    ['12345', false],
    ['12a4', false],
    ['１２３４', false],
    ['', false],
  ];
  it.each(cases)('%j → %s', (code, expected) => {
    expect(isValidVerificationCode(code)).toBe(expected);
  });
});
