import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { sanitizeDetails } from '@portal/events';
import type { Clock } from '@portal/platform';
import type { AuditAction, AuditActorType } from './audit-actions.ts';

/**
 * The one way to write the audit trail (操作履歴). Call it with the transaction's EntityManager,
 * inside the transaction of the action it records, so the action and its record commit or roll
 * back together:
 *
 * ```ts
 * await ctx.em.transactional(async (em) => {
 *   // ... the change ...
 *   await recordAudit(em, ctx, { action: 'ACCOUNT_DELETED', target: auditTarget('Account', id, loginId), details: { ... } });
 * });
 * ```
 *
 * `ctx` is the request context (a SubgraphContext fits): the actor, client IP and request id come
 * from the verified identity, the time from the clock. `details` says what changed (before/after);
 * secret keys (passwords, tokens, bank account numbers, verification codes: `sanitizeDetails` of
 * @portal/events, the same filter billing applies) are dropped whatever their nesting.
 */
export interface AuditContext {
  clock: Clock;
  identity?: Pick<Identity, 'kind' | 'accountId' | 'memberId' | 'clientIp' | 'requestId'> | null;
}

export interface AuditTarget {
  /** What was acted on, e.g. `Account`, `IpAllowEntry`, `Member`, `Cancellation`. */
  type: string;
  id: string;
  /** A human label kept as a snapshot (login ID, address), readable after the target is gone. */
  label?: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  /** Defaults to the identity's member. Null only for a failed login with an unknown login ID. */
  memberId?: string | null;
  target?: AuditTarget | null;
  details?: Record<string, unknown>;
  /** Overrides the actor taken from the identity (login: the account is known only after the check). */
  actor?: { type: AuditActorType; accountId?: string | null; loginId?: string | null };
}

export function auditTarget(type: string, id: string, label?: string | null): AuditTarget {
  return { type, id, label: label ?? null };
}

export async function recordAudit(em: EntityManager, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  if (!em.isInTransaction()) throw new Error('recordAudit must run inside the transaction of the action it records (em.transactional)');
  const identity = ctx.identity ?? null;
  const actorType: AuditActorType = entry.actor?.type ?? (identity?.kind === 'member' ? 'ACCOUNT' : identity?.kind === 'operator' ? 'OPERATOR' : 'ANONYMOUS');
  const actorId = entry.actor ? (entry.actor.accountId ?? null) : (identity?.accountId ?? null);
  const memberId = entry.memberId !== undefined ? entry.memberId : (identity?.memberId ?? null);
  // The login ID snapshot: given, or read in the same statement from the actor's account / operator.
  await em.execute(
    `insert into tenancy.audit_event
       (id, member_id, at, actor_type, account_id, login_id, client_ip, request_id, action, target_type, target_id, target_label, details)
     values (?, ?, ?, ?::tenancy.audit_actor, ?, coalesce(?::varchar,
               (select a.login_id from tenancy.account a where a.id = ?::uuid),
               (select o.login_id from tenancy.operator_account o where o.id = ?::uuid)),
             ?, ?, ?::tenancy.audit_action, ?, ?, ?, ?::jsonb)`,
    [
      randomUUID(),
      memberId,
      ctx.clock.now(),
      actorType,
      actorType === 'ACCOUNT' ? actorId : null,
      entry.actor?.loginId ?? null,
      actorType === 'ACCOUNT' ? actorId : null,
      actorType === 'OPERATOR' ? actorId : null,
      identity?.clientIp || null,
      identity?.requestId ?? null,
      entry.action,
      entry.target?.type ?? null,
      entry.target?.id ?? null,
      entry.target?.label ?? null,
      JSON.stringify(sanitizeDetails(entry.details ?? {})),
    ],
    'run',
  );
}
