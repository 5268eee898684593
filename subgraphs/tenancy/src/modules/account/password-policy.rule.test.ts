import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, generatePassword, passwordProblem } from './password-policy.rule.ts';

describe('passwordProblem', () => {
  it.each([
    ['11 characters', 'Kq7#vRm2pLx', 'PASSWORD_TOO_SHORT'],
    ['exactly 12 characters', 'Kq7#vRm2pLxz', null],
    ['exactly 128 characters', 'Kq7#vRm2pLxz'.repeat(10) + 'Abcdefgh', null],
    ['129 characters', 'Kq7#vRm2pLxz'.repeat(10) + 'Abcdefghi', 'PASSWORD_TOO_LONG'],
    ['12 characters counted as code points (emoji are one each)', '🔑🔑🔑🔒🔒🔒🗝️x9Qw', null],
    ['11 code points of 2 UTF-16 units each', '🔑'.repeat(5) + '🔒'.repeat(6), 'PASSWORD_TOO_SHORT'],
    ['a common password of 12+ characters', 'qwerty123456', 'PASSWORD_TOO_COMMON'],
    ['a common password in other case', 'QWERTY123456', 'PASSWORD_TOO_COMMON'],
    ['a common word padded with digits and symbols', 'Password2024!', 'PASSWORD_TOO_COMMON'],
    ['a common word padded on both sides', '2024!sunshine!!', 'PASSWORD_TOO_COMMON'],
    ['fewer than 4 different characters', 'abababababab', 'PASSWORD_TOO_COMMON'],
    ['exactly 4 different characters', 'abcdabcdabcd', null],
    ['a passphrase', 'correct horse battery staple', null],
  ])('%s', (_name, password, expected) => {
    expect(passwordProblem(password)).toBe(expected);
  });

  it('refuses a password that contains the login ID, whatever the case', () => {
    expect(passwordProblem('xx-Tanaka.Office-2026', { loginId: 'tanaka.office' })).toBe('PASSWORD_CONTAINS_LOGIN_ID');
    expect(passwordProblem('xx-Tanaka.Office-2026', { loginId: 'suzuki' })).toBeNull();
  });

  it('uses the limits it documents', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([12, 128]);
  });
});

describe('generatePassword', () => {
  it('generates passwords that pass the policy and differ each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{5}(-[A-HJ-NP-Za-km-z2-9]{5}){3}$/);
      expect(passwordProblem(password)).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });
});
