/**
 * What one login attempt comes to, from facts gathered the same way for every attempt (the account
 * looked up, the password hashed against its hash or a dummy, the allow-list read, the limiter
 * consulted). Every outcome but OK is answered with the same INVALID_CREDENTIALS after the same
 * delay; the reason goes only to the audit trail and decides what the limiter counts.
 *
 * The order matters:
 * - UNKNOWN_LOGIN_ID first: there is no account to block or refuse for.
 * - IP_NOT_ALLOWED before the password and the block: from an address the member's allow-list
 *   refuses, a right and a wrong password are the same failure (issue 11 item 3), and it does not
 *   count toward the account's own counter (else anyone outside the list could slow its owner).
 * - TOO_MANY_ATTEMPTS before the password: during a block the right password fails too.
 */
export type LoginOutcome = 'OK' | 'UNKNOWN_LOGIN_ID' | 'IP_NOT_ALLOWED' | 'TOO_MANY_ATTEMPTS' | 'WRONG_PASSWORD';

export interface LoginFacts {
  accountFound: boolean;
  passwordOk: boolean;
  /** The account's member has an allow-list and the client address is outside it. */
  addressRefused: boolean;
  /** The attempt limiter refuses this attempt (attempt-limit.rule.ts). */
  blocked: boolean;
}

export function loginOutcome(f: LoginFacts): LoginOutcome {
  if (!f.accountFound) return 'UNKNOWN_LOGIN_ID';
  if (f.addressRefused) return 'IP_NOT_ALLOWED';
  if (f.blocked) return 'TOO_MANY_ATTEMPTS';
  return f.passwordOk ? 'OK' : 'WRONG_PASSWORD';
}

/** Whether a failure counts toward the login ID's own counter (all addresses). */
export function countsTowardSubject(outcome: Exclude<LoginOutcome, 'OK'>): boolean {
  return outcome !== 'IP_NOT_ALLOWED';
}
