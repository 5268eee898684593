import { describe, expect, it } from 'vitest';
import {
  MAX_FAILED_ATTEMPTS,
  VERIFICATION_VALIDITY_MS,
  canAttemptVerification,
  verificationExpiresAt,
  verificationStatus,
  type VerificationState,
  type VerificationStatus,
} from './verification-status.rule.ts';

const sentAt = new Date('2026-05-01T10:00:00+09:00');
const at = (ms: number) => new Date(sentAt.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;
const state = (o: Partial<VerificationState> = {}): VerificationState => ({ status: 'UNVERIFIED', sentAt, failedAttempts: 0, ...o });

describe('verificationStatus', () => {
  const cases: [string, VerificationState, Date, VerificationStatus][] = [
    ['just sent', state(), at(0), 'UNVERIFIED'],
    ['13 days later', state(), at(13 * DAY), 'UNVERIFIED'],
    ['1 ms before 14×24h: the link is still valid', state(), at(14 * DAY - 1), 'UNVERIFIED'],
    ['exactly 14×24h: 14 days have passed (期限切れ)', state(), at(14 * DAY), 'EXPIRED'],
    ['14 days and 1 ms', state(), at(14 * DAY + 1), 'EXPIRED'],
    ['the 14th JST calendar day at 23:59 is later than 14×24h', state(), new Date('2026-05-15T23:59:00+09:00'), 'EXPIRED'],
    ['mail not sent yet, long after', state({ sentAt: null }), at(100 * DAY), 'UNVERIFIED'],
    ['4 wrong codes: one more try allowed', state({ failedAttempts: 4 }), at(DAY), 'UNVERIFIED'],
    ['5 wrong codes: failed (失敗)', state({ failedAttempts: 5 }), at(DAY), 'FAILED'],
    ['more than 5 wrong codes', state({ failedAttempts: 7 }), at(DAY), 'FAILED'],
    ['stored FAILED', state({ status: 'FAILED', failedAttempts: 5 }), at(DAY), 'FAILED'],
    ['failed, then the link ran out: FAILED wins', state({ failedAttempts: 5 }), at(20 * DAY), 'FAILED'],
    ['4 wrong codes, then the link ran out', state({ failedAttempts: 4 }), at(14 * DAY), 'EXPIRED'],
    ['stored EXPIRED (the job ran) stays expired', state({ status: 'EXPIRED' }), at(DAY), 'EXPIRED'],
    ['verified is final, even after 14 days', state({ status: 'VERIFIED' }), at(30 * DAY), 'VERIFIED'],
    ['verified after 4 wrong codes', state({ status: 'VERIFIED', failedAttempts: 4 }), at(DAY), 'VERIFIED'],
  ];
  it.each(cases)('%s', (_name, s, now, expected) => {
    expect(verificationStatus(s, now)).toBe(expected);
  });

  it('uses the constants the manual states', () => {
    expect(VERIFICATION_VALIDITY_MS).toBe(14 * DAY);
    expect(MAX_FAILED_ATTEMPTS).toBe(5);
    expect(verificationExpiresAt(sentAt).toISOString()).toBe('2026-05-15T01:00:00.000Z');
  });
});

describe('canAttemptVerification', () => {
  const cases: [string, VerificationState, Date, boolean][] = [
    ['fresh link', state(), at(0), true],
    ['after the 4th wrong code', state({ failedAttempts: 4 }), at(DAY), true],
    ['after the 5th wrong code', state({ failedAttempts: 5 }), at(DAY), false],
    ['1 ms before expiry', state(), at(14 * DAY - 1), true],
    ['at expiry', state(), at(14 * DAY), false],
    ['already verified', state({ status: 'VERIFIED' }), at(DAY), false],
    ['mail not sent', state({ sentAt: null }), at(0), false],
  ];
  it.each(cases)('%s', (_name, s, now, expected) => {
    expect(canAttemptVerification(s, now)).toBe(expected);
  });
});
