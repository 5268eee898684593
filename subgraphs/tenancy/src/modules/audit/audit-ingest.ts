import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AUDIT_RECORDED_EVENT, auditRecordedSchema, sanitizeDetails, type AuditRecorded } from '@portal/events';
import { createSqlPool, type JobQueue, type SqlExecutor } from '@portal/platform';
import type { PlatformServices } from '@portal/subgraph-kit';
import { EXTERNAL_AUDIT_ACTIONS } from './audit-actions.ts';

/** Tenancy's queue on the event bus for `audit.recorded` (@portal/events). */
export const AUDIT_EVENTS_QUEUE = 'tenancy.audit-events';

/**
 * The contract (@portal/events) plus the trail's own policy: a source may record only the actions
 * EXTERNAL_AUDIT_ACTIONS gives it (billing cannot record a login).
 */
const trailEntrySchema = auditRecordedSchema.refine(
  (e: AuditRecorded) => (EXTERNAL_AUDIT_ACTIONS[e.source] as readonly string[]).includes(e.action),
  { path: ['action'], message: 'not an action this source may record' },
);

/**
 * Puts one received entry into `tenancy.audit_event`, once: a redelivered or republished event
 * (same source and id) inserts nothing. The actor's login ID is looked up in the same statement
 * (account or operator), as `recordAudit` does for tenancy's own entries; details are sanitized
 * again (the trail never holds secrets, whoever wrote the entry). Throws on an invalid payload
 * (the bus retries, then keeps the failed job for inspection). Returns whether a row was added.
 */
export async function ingestAuditEvent(exec: SqlExecutor, data: unknown): Promise<boolean> {
  const e = trailEntrySchema.parse(data);
  const { rows } = await exec.query(
    `insert into tenancy.audit_event
       (id, source, source_id, member_id, at, actor_type, account_id, login_id, client_ip, request_id, action, target_type, target_id, target_label, details)
     values ($1, $2, $3, $4, $5, $6::tenancy.audit_actor, $7,
             case $8::text when 'ACCOUNT' then (select a.login_id from tenancy.account a where a.id = $9::uuid)
                           else (select o.login_id from tenancy.operator_account o where o.id = $10::uuid) end,
             $11, $12, $13::tenancy.audit_action, $14, $15, $16, $17::jsonb)
     on conflict (source, source_id) do nothing
     returning seq`,
    [
      randomUUID(), e.source, e.id, e.memberId, new Date(e.at), e.actorType, e.accountId, e.actorType, e.accountId, e.accountId,
      e.clientIp || null, e.requestId, e.action, e.targetType, e.targetId, e.targetLabel, JSON.stringify(sanitizeDetails(e.details)),
    ],
  );
  return rows.length > 0;
}

/**
 * Subscribes tenancy's queue to `audit.recorded`. Statements go through a pool of their own: they
 * belong to no request. Tests drive it with `services.events.runDue(AUDIT_EVENTS_QUEUE)`.
 */
export async function registerAuditEventConsumer({ orm, services }: { orm: MikroORM; services: PlatformServices & { jobs: JobQueue } }): Promise<void> {
  const bus = services.events;
  if (!bus) throw new Error('tenancy: the audit event consumer needs the event bus (declare `events: true`)');
  const pool = createSqlPool(String(orm.config.get('clientUrl')), { scope: 'system' });
  services.onStop(() => pool.end());
  await bus.subscribe(AUDIT_RECORDED_EVENT, AUDIT_EVENTS_QUEUE, async (event) => {
    await ingestAuditEvent(pool, event.data);
  });
}
