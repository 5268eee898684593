/**
 * Failed logins slow down, then soft-lock the account (per account, whatever the source address).
 * - failures 1-3: answered at once;
 * - from the 4th: each answer waits 2^(n-4) s, at most 8 s;
 * - from the 5th (LOCK_AFTER): the account is locked for 15 min, doubling with each further failure, at most 24 h.
 * A correct password during a lock is still refused, with the same message, so the lock cannot be probed.
 * An administrator's password reset, or the lock running out, ends it; a success resets the count.
 */
export const LOCK_AFTER = 5;
const BASE_LOCK_MS = 15 * 60 * 1000;
const MAX_LOCK_MS = 24 * 60 * 60 * 1000;

export interface ThrottleVerdict {
  /** How long to hold the (failed) answer back. */
  delayMs: number;
  /** Until when the account refuses logins, or null. */
  lockedUntil: Date | null;
}

/** The verdict after `failures` consecutive failed attempts (counting the one just made). */
export function afterFailedLogin(failures: number, now: Date): ThrottleVerdict {
  const delayMs = failures >= 4 ? Math.min(1000 * 2 ** (failures - 4), 8000) : 0;
  if (failures < LOCK_AFTER) return { delayMs, lockedUntil: null };
  const lockMs = Math.min(BASE_LOCK_MS * 2 ** (failures - LOCK_AFTER), MAX_LOCK_MS);
  return { delayMs, lockedUntil: new Date(now.getTime() + lockMs) };
}

export function isLocked(lockedUntil: Date | null | undefined, now: Date): boolean {
  return !!lockedUntil && lockedUntil.getTime() > now.getTime();
}
