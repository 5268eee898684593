/**
 * The audit trail's secret filter, the one both ends use: billing before its entry leaves the
 * outbox, tenancy for its own entries and again for every entry it receives (the trail never
 * holds a secret, whoever wrote it). Keys that name a secret are dropped at any depth, values and
 * other keys are kept; dates become ISO strings as in JSON.
 *
 * Secret: passwords, tokens, secrets, hashes, credentials, bank account numbers (also a masked
 * one: the trail names the bank, branch and holder, never the number) and one-time / verification
 * codes. A bare `code` stays: it is an error or bank code (`{ status: 410, code: 'EXPIRED' }`).
 */
const SECRET_SUBSTRING = /pass(word)?|token|secret|hash|credential|account_?number|verification_?code|one_?time_?(code|password)/i;
/** Short names matched as whole words only, so `lockoutConfirmed` or `pinned` stay. */
const SECRET_WORDS = new Set(['otp', 'pin', 'totp', 'cvv', 'cvc']);

export function isSecretKey(key: string): boolean {
  if (SECRET_SUBSTRING.test(key)) return true;
  return key
    .split(/(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+/)
    .some((word) => SECRET_WORDS.has(word.toLowerCase()));
}

/** Drops secret keys at any depth and keeps the rest (undefined values are dropped as JSON would). */
export function sanitizeDetails(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitizeDetails);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (!isSecretKey(key) && v !== undefined) out[key] = sanitizeDetails(v);
    return out;
  }
  return value;
}
