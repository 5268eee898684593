import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { AUDIT_RECORDED_EVENT, auditRecorded, type AuditRecordedInput } from '@portal/events';
import type { Clock, OutgoingEvent } from '@portal/platform';

/** Billing's relay job (every minute, Asia/Tokyo). */
export const AUDIT_RELAY_JOB = 'billing-audit-relay';
export const AUDIT_RELAY_SCHEDULE = '* * * * *';

/**
 * Hands every audit entry after the cursor to the bus, in seq order, batch by batch, each batch in a
 * transaction that holds the cursor row: several replicas never relay the same batch, and a failed
 * publish moves nothing (the job retries; consumers are idempotent, so a crash between publish and
 * commit only publishes again).
 */
export async function relayAuditEvents(orm: MikroORM, bus: { publishBatch(events: readonly OutgoingEvent[]): Promise<void> }, clock: Clock, batchSize = 500): Promise<number> {
  let relayed = 0;
  for (;;) {
    const em = orm.em.fork() as EntityManager;
    const n = await em.transactional(async (tx) => {
      const [cursor] = await tx.execute<{ last_seq: string }[]>('select last_seq from billing.audit_relay where id = 1 for update');
      type Row = { id: string; seq: string; member_id: string; at: Date | string; actor_type: 'ACCOUNT' | 'OPERATOR' | 'ANONYMOUS'; account_id: string | null; client_ip: string | null; request_id: string | null; action: string; target_type: string | null; target_id: string | null; target_label: string | null; details: Record<string, unknown> | null };
      const rows = await tx.execute<Row[]>('select * from billing.audit_outbox where seq > ? order by seq limit ?', [cursor!.last_seq, batchSize]);
      if (!rows.length) return 0;
      await bus.publishBatch(rows.map((r) => ({
        event: AUDIT_RECORDED_EVENT,
        // One per billing audit entry; its contract (@portal/events) is what tenancy's trail parses.
        data: {
          v: auditRecorded.version, source: 'billing', id: r.id, version: Number(r.seq), memberId: r.member_id, at: new Date(r.at).toISOString(), actorType: r.actor_type, accountId: r.account_id ?? null,
          clientIp: r.client_ip ?? null, requestId: r.request_id ?? null, action: r.action, targetType: r.target_type ?? null, targetId: r.target_id ?? null, targetLabel: r.target_label ?? null,
          details: r.details ?? {},
        } satisfies AuditRecordedInput,
      })));
      await tx.execute('update billing.audit_relay set last_seq = ?, relayed_at = ? where id = 1', [rows.at(-1)!.seq, clock.now()], 'run');
      return rows.length;
    });
    relayed += n;
    if (n < batchSize) return relayed;
  }
}
