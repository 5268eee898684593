import type { EntityManager } from '@mikro-orm/postgresql';
import { auditTarget, recordAudit, type AuditContext } from '../audit/audit.ts';
import type { AuditAction } from '../audit/audit-actions.ts';
import type { ICancellation } from './cancellation.entity.ts';

/** The cancellation actions the member's audit trail (操作履歴) records (values of tenancy.audit_action). */
export type CancellationAuditAction = Extract<
  AuditAction,
  | 'CANCELLATION_FILED'
  | 'CANCELLATION_APPROVED'
  | 'CANCELLATION_DENIED'
  | 'CANCELLATION_DATE_CHANGE_REQUESTED'
  | 'CANCELLATION_WITHDRAWAL_REQUESTED'
  | 'CANCELLATION_CHANGE_DECIDED'
  | 'CANCELLATION_NEXT_LEASE_MARKED'
  | 'CANCELLATION_MOVED_OUT'
  | 'SETTLEMENT_STATEMENT_PUBLISHED'
  | 'SETTLEMENT_STATEMENTS_DOWNLOADED'
>;

/**
 * The single call site from the cancellation area into the member's audit trail: every write of
 * this module calls it inside its own transaction, so the action and its record commit together.
 * The member is the cancellation's (operators and the 8:00 job act on a member's data without
 * being one); the actor comes from the identity, or is the company's batch when there is none.
 */
export function auditCancellation(
  em: EntityManager,
  ctx: AuditContext,
  action: CancellationAuditAction,
  target: Pick<ICancellation, 'id' | 'memberId'> & { label?: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(em, ctx, {
    action,
    memberId: target.memberId,
    target: auditTarget('Cancellation', target.id, target.label ?? null),
    details,
    ...(ctx.identity ? {} : { actor: { type: 'OPERATOR' as const, accountId: null, loginId: 'batch' } }),
  });
}
