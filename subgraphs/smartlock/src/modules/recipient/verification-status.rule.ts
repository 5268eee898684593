/**
 * Verification (疎通確認) of a smartlock recipient, as the manual states it:
 * 未確認 (not verified yet), 確認済 (verified), 期限切れ (14 days passed since the mail),
 * 失敗 (the code was entered wrongly 5 times or more; the page refuses further tries).
 *
 * Expiry edge: the link is valid for 14 days (URLの有効期限は14日間) and a recipient shows 期限切れ once
 * 14 days have passed (送信後14日間経過). We read it as a duration, not calendar days: the link is valid
 * on [sentAt, sentAt + 14×24h) and expired from sentAt + 14×24h on, to the millisecond. Exactly
 * 14×24h after the mail the 14 days have elapsed, so that instant is already EXPIRED.
 * (Japan has no daylight saving time, so 14×24h is also 14 days of Asia/Tokyo wall-clock time.)
 *
 * Attempts edge: 5回以上誤入力 → FAILED. After the 4th wrong code the recipient may still try; the
 * 5th wrong code fails the verification.
 *
 * Precedence: VERIFIED is final. FAILED wins over EXPIRED (a recipient who used up the tries and
 * then let the link run out is reported as FAILED: that is why it was not verified). A recipient
 * whose mail has not gone out yet (sentAt null, e.g. queued) is UNVERIFIED.
 */

export const VERIFICATION_STATUSES = ['UNVERIFIED', 'VERIFIED', 'EXPIRED', 'FAILED'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** How long the verification link stays valid after the mail (14 days). */
export const VERIFICATION_VALIDITY_MS = 14 * 24 * 60 * 60 * 1000;
/** Wrong codes that fail a verification (the 5th wrong code fails it). */
export const MAX_FAILED_ATTEMPTS = 5;

export interface VerificationState {
  /** The stored status. It may lag behind time (the expiry job stores EXPIRED later), so expiry is also derived from `sentAt`. */
  status: VerificationStatus;
  /** When the (latest) verification mail was sent; a resend restarts the 14 days. */
  sentAt: Date | null;
  /** Wrong codes entered since the latest mail. */
  failedAttempts: number;
}

/** The instant from which the link sent at `sentAt` is expired. */
export function verificationExpiresAt(sentAt: Date): Date {
  return new Date(sentAt.getTime() + VERIFICATION_VALIDITY_MS);
}

/** The verification status of a recipient at `now`. */
export function verificationStatus(state: VerificationState, now: Date): VerificationStatus {
  if (state.status === 'VERIFIED') return 'VERIFIED';
  if (state.status === 'FAILED' || state.failedAttempts >= MAX_FAILED_ATTEMPTS) return 'FAILED';
  if (state.status === 'EXPIRED') return 'EXPIRED';
  if (state.sentAt && now.getTime() >= verificationExpiresAt(state.sentAt).getTime()) return 'EXPIRED';
  return 'UNVERIFIED';
}

/** Whether the verification page still accepts a code (only while UNVERIFIED and the mail went out). */
export function canAttemptVerification(state: VerificationState, now: Date): boolean {
  return state.sentAt !== null && verificationStatus(state, now) === 'UNVERIFIED';
}
