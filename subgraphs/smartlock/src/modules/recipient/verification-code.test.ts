import { describe, expect, it } from 'vitest';
import { hashVerificationCode, verifyVerificationCode } from './verification-code.ts';

describe('verification code hashing', () => {
  it('accepts the code it hashed and nothing else, with a fresh salt each time', async () => {
    const a = await hashVerificationCode('1111');
    const b = await hashVerificationCode('1111');
    expect(a).not.toBe(b);
    expect(a).not.toContain('1111');
    expect(await verifyVerificationCode('1111', a)).toBe(true);
    expect(await verifyVerificationCode('1112', a)).toBe(false);
    expect(await verifyVerificationCode('1111', 'garbage')).toBe(false);
  });
});
