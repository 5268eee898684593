import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. The client holds the token; the database holds only its SHA-256. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Absolute lifetime of a session. How long it may sit idle is the gateway's setting
 * (PORTAL_SESSION_IDLE_MINUTES, default 30), passed to `tenancy.resolve_session` on every request.
 */
export const SESSION_TTL = '12 hours';

/**
 * Sessions run on the database's wall clock, the same clock `tenancy.resolve_session` checks them
 * against (business rules use the injectable clock; security lifetimes must not move with it).
 */
export async function insertSession(
  execute: (sql: string, params: unknown[]) => Promise<unknown[]>,
  owner: { accountId: string; memberId: string } | { operatorId: string },
  token: string,
  clientIp: string,
): Promise<Date> {
  const [accountId, memberId, operatorId] = 'operatorId' in owner ? [null, null, owner.operatorId] : [owner.accountId, owner.memberId, null];
  const rows = (await execute(
    `insert into tenancy.session (id, token_hash, account_id, member_id, operator_id, client_ip, expires_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, now() + interval '${SESSION_TTL}') returning expires_at`,
    [hashSessionToken(token), accountId, memberId, operatorId, clientIp],
  )) as { expires_at: Date }[];
  return new Date(rows[0]!.expires_at);
}
