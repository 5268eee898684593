import { describe, expect, it } from 'vitest';
import { isSecretKey, sanitizeDetails } from './sanitize.ts';

describe('isSecretKey', () => {
  it.each([
    // Bank account numbers (billing's refund account), plain, snake case and masked.
    ['accountNumber', true], ['account_number', true], ['bulkAccountNumber', true], ['accountNumberMasked', true],
    // Passwords and their hashes.
    ['password', true], ['newPassword', true], ['passwordHash', true], ['pass', true], ['generatedPassword', true],
    // Tokens, secrets, credentials.
    ['token', true], ['sessionToken', true], ['refresh_token', true], ['clientSecret', true], ['credentials', true], ['hash', true],
    // Verification and one-time codes.
    ['verificationCode', true], ['verification_code', true], ['oneTimeCode', true], ['otp', true], ['approverOtp', true], ['otp_code', true], ['pin', true], ['totp', true],
    // What the trail keeps: names, amounts, error and bank codes, words that only contain a short secret name.
    ['name', false], ['loginId', false], ['code', false], ['bankCode', false], ['branchCode', false], ['status', false], ['totalAmount', false],
    ['lockoutConfirmed', false], ['pinned', false], ['holderKana', false], ['accountType', false], ['sessionsRevoked', false], ['reason', false],
  ])('%s → %s', (key, secret) => {
    expect(isSecretKey(key)).toBe(secret);
  });
});

describe('sanitizeDetails', () => {
  it('drops secret keys at any depth, in objects and arrays, and keeps the rest', () => {
    const details = {
      before: { name: '山田', password: 'x', passwordHash: 'h' },
      token: 't',
      nested: [{ sessionToken: 's', ok: 1 }, { deeper: { verificationCode: '123456', accountNumber: '1234567', bank: '0001 みずほ銀行' } }],
      newPassword: 'n',
      clientSecret: 'c',
      download: { status: 410, code: 'EXPIRED' },
      at: new Date('2026-11-22T00:00:00Z'),
      gone: undefined,
    };
    expect(sanitizeDetails(details)).toEqual({
      before: { name: '山田' },
      nested: [{ ok: 1 }, { deeper: { bank: '0001 みずほ銀行' } }],
      download: { status: 410, code: 'EXPIRED' },
      at: '2026-11-22T00:00:00.000Z',
    });
  });

  it('leaves scalars and null as they are', () => {
    expect([null, 1, 'a', true].map(sanitizeDetails)).toEqual([null, 1, 'a', true]);
  });
});
