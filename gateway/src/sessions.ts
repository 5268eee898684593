import { createHash } from 'node:crypto';
import pg from 'pg';
import { ipAllowed, scopesFor, type Identity, type Permissions } from '@portal/auth';

export type SessionResolution =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'ip-not-allowed'; identity: Identity }
  | { kind: 'ok'; identity: Identity };

/**
 * Resolves `Authorization: Bearer <token>` to an identity with one statement per request
 * (tenancy.resolve_session, tenancy's contract with the gateway). Nothing is cached: a logout, a
 * permission change, a deletion or an allow-list change applies to the very next request.
 */
export class SessionResolver {
  constructor(
    private readonly pool: pg.Pool,
    /** PORTAL_SESSION_IDLE_MINUTES: a session unused for this long is refused (and stays refused). */
    private readonly idleMinutes: number,
  ) {}

  async resolve(authorization: string | undefined, clientIp: string, requestId: string): Promise<SessionResolution> {
    if (!authorization) return { kind: 'none' };
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(authorization.trim());
    if (!match) return { kind: 'invalid' };
    const hash = createHash('sha256').update(match[1]!).digest();
    const { rows } = await this.pool.query<{
      session_id: string;
      kind: 'member' | 'operator';
      account_id: string;
      member_id: string;
      is_admin: boolean;
      billing_level: Permissions['billing'];
      cancellation_level: Permissions['cancellation'];
      residents_level: Permissions['residents'];
      smartlock_level: Permissions['smartlock'];
      fire_insurance_level: Permissions['fireInsurance'];
      allow_list: string[];
    }>({ name: 'resolve_session', text: 'select * from tenancy.resolve_session($1, make_interval(mins => $2))', values: [hash, this.idleMinutes] });
    const row = rows[0];
    if (!row) return { kind: 'invalid' };
    if (row.kind === 'operator') {
      // The back office: the operator scope only, no member, no member allow-list.
      const identity: Identity = { kind: 'operator', accountId: row.account_id, memberId: null, sessionId: row.session_id, scopes: new Set(['operator'] as const), clientIp, requestId };
      return { kind: 'ok', identity };
    }
    const identity: Identity = {
      kind: 'member',
      accountId: row.account_id,
      memberId: row.member_id,
      sessionId: row.session_id,
      scopes: scopesFor({
        billing: row.billing_level,
        cancellation: row.cancellation_level,
        residents: row.residents_level,
        smartlock: row.smartlock_level,
        fireInsurance: row.fire_insurance_level,
        admin: row.is_admin,
      }),
      clientIp,
      requestId,
    };
    if (row.allow_list.length > 0 && !ipAllowed(clientIp, row.allow_list)) return { kind: 'ip-not-allowed', identity };
    return { kind: 'ok', identity };
  }
}
