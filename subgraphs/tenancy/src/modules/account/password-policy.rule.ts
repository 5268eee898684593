import { randomInt } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The password policy (NIST SP 800-63B style: length and a blocklist, no composition rules):
 * - 12 to 128 characters (Unicode code points after NFC, as they are hashed);
 * - not a common password: the list is zxcvbn-ts's `passwords-common` (@zxcvbn-ts/language-common,
 *   about 49,000 leaked passwords), compared case-insensitively, also after stripping digits and
 *   symbols at either end ("Password2024!" is "password");
 * - at least 4 different characters ("aaaaaaaaaaaa", "abababababab" are refused as common);
 * - not containing the account's login ID.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
const MIN_DISTINCT = 4;

export type PasswordProblem = 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_TOO_COMMON' | 'PASSWORD_CONTAINS_LOGIN_ID';

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** The password with digits, symbols and spaces removed from both ends. */
function core(password: string): string {
  return password.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

export function passwordProblem(password: string, context: { loginId?: string | null } = {}): PasswordProblem | null {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'PASSWORD_TOO_LONG';
  const lower = password.normalize('NFC').toLowerCase();
  const list = commonPasswords();
  const stripped = core(lower);
  if (list.has(lower) || (stripped.length > 0 && list.has(stripped)) || new Set(lower).size < MIN_DISTINCT) return 'PASSWORD_TOO_COMMON';
  const loginId = context.loginId?.toLowerCase();
  if (loginId && loginId.length >= 3 && lower.includes(loginId)) return 'PASSWORD_CONTAINS_LOGIN_ID';
  return null;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A password for an administrator to hand over (shown once): 4 groups of 5 characters without
 * look-alikes (0/O, 1/l/I), about 113 bits of randomness.
 */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}
