import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { sanitizeDetails } from '@portal/events';
import type { Clock } from '@portal/platform';

/**
 * Billing's actions that belong in the member's audit trail (操作履歴). Tenancy owns the trail; these
 * names are what its ingest job maps onto `tenancy.audit_action` (docs/architecture.md).
 */
export const BILLING_AUDIT_ACTIONS = {
  INVOICE_HOLDS_SAVED: { en: 'Invoice holds saved', ja: '請求明細 保留の保存' },
  INVOICE_CONFIRMED: { en: 'Invoice confirmed', ja: '請求明細 確定' },
  INVOICES_IMPORTED: { en: 'Invoice published by the operator', ja: '請求明細アップロード（弊社）' },
  TIMESTAMP_RESERVED: { en: 'Time stamp reserved', ja: 'タイムスタンプ付与予約' },
  TIMESTAMP_CANCELLED: { en: 'Time stamp reservation cancelled', ja: 'タイムスタンプ付与予約キャンセル' },
  REFUND_ACCOUNT_SAVED: { en: 'Refund account registered or changed', ja: '返金口座登録・変更' },
  REFUND_ACCOUNT_DELETED: { en: 'Refund account deleted', ja: '返金口座削除' },
  FILE_DOWNLOADED: { en: 'File downloaded', ja: 'ファイルダウンロード' },
  FILE_DOWNLOAD_REFUSED: { en: 'File download refused', ja: 'ファイルダウンロード拒否' },
} as const;
export type BillingAuditAction = keyof typeof BILLING_AUDIT_ACTIONS;

/** Serialises audit appends so rows commit in `seq` order (the feed's reader never skips one). */
export const AUDIT_OUTBOX_LOCK = 0x62696c6c; // 'bill'

export interface BillingAuditEntry {
  action: BillingAuditAction;
  /** The member whose trail gets the entry; defaults to the identity's (operators name it). */
  memberId?: string;
  target: { type: string; id: string; label?: string | null };
  details?: Record<string, unknown>;
}

/**
 * Appends one entry to `billing.audit_outbox`; call it with the transaction's EntityManager, inside the
 * transaction of the action it records. Never holds bank account numbers, passwords or tokens
 * (`sanitizeDetails`, @portal/events: the same filter tenancy's trail applies).
 */
export async function appendAudit(
  em: EntityManager,
  ctx: { clock: Clock; identity: Pick<Identity, 'kind' | 'accountId' | 'memberId' | 'clientIp' | 'requestId'> | null },
  entry: BillingAuditEntry,
): Promise<void> {
  if (!em.isInTransaction()) throw new Error('appendAudit must run inside the transaction of the action it records');
  const memberId = entry.memberId ?? ctx.identity?.memberId;
  if (!memberId) throw new Error('appendAudit: no member to record the entry for');
  await em.execute('select pg_advisory_xact_lock(?)', [AUDIT_OUTBOX_LOCK], 'run');
  await em.execute(
    `insert into billing.audit_outbox (id, member_id, at, actor_type, account_id, client_ip, request_id, action, target_type, target_id, target_label, details)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
    [
      // Nobody logged in (a download link used without a session) is ANONYMOUS.
      randomUUID(), memberId, ctx.clock.now(), actorTypeOf(ctx.identity), ctx.identity?.kind === 'anonymous' ? null : (ctx.identity?.accountId ?? null),
      ctx.identity?.clientIp || null, ctx.identity?.requestId ?? null, entry.action, entry.target.type, entry.target.id, entry.target.label ?? null,
      JSON.stringify(sanitizeDetails(entry.details ?? {})),
    ],
    'run',
  );
}

function actorTypeOf(identity: Pick<Identity, 'kind'> | null): 'ACCOUNT' | 'OPERATOR' | 'ANONYMOUS' {
  return identity?.kind === 'operator' ? 'OPERATOR' : identity?.kind === 'member' ? 'ACCOUNT' : 'ANONYMOUS';
}
