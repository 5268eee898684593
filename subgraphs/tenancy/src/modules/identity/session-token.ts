import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. The client holds the token; the database holds only its SHA-256. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Absolute lifetime of a session, and how long it may sit idle. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE = '2 hours';
