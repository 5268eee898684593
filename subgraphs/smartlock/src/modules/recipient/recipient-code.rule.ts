/**
 * The recipient ID (Smartlock受取者ID) an account chooses: required, half-width alphanumerics and
 * `+ - . _ @ &` (DOMAIN.md; the manual's create screen says 半角英数字と"+" "-" "_" "@" "&", the edit
 * screen adds "." — and once ":", which DOMAIN.md does not list and we do not accept). The manual gives
 * no maximum; 64 characters is ours (its examples are 8 to 16).
 * Unique per member, case-insensitively (`Test_1` and `test_1` cannot both exist): see the migration.
 */
export const RECIPIENT_CODE_MAX_LENGTH = 64;
const RECIPIENT_CODE = /^[A-Za-z0-9+\-._@&]+$/;

export function isValidRecipientCode(code: string): boolean {
  return code.length >= 1 && code.length <= RECIPIENT_CODE_MAX_LENGTH && RECIPIENT_CODE.test(code);
}

/** The verification code (疎通確認コード): exactly 4 half-width digits. */
export function isValidVerificationCode(code: string): boolean {
  return /^[0-9]{4}$/.test(code);
}
