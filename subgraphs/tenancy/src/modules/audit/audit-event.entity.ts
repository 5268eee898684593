import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/**
 * One record of the audit trail (操作履歴), read-only for the application: rows are written only by
 * `recordAudit` (audit.ts) and the database refuses UPDATE and DELETE.
 */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  readonly: true,
  properties: (p) => ({
    id: p.uuid().primary(),
    seq: p.bigint('string'),
    memberId: p.uuid().nullable(),
    at: p.datetime(),
    actorType: p.string(),
    accountId: p.uuid().nullable(),
    loginId: p.string().nullable(),
    clientIp: p.string().nullable(),
    requestId: p.string().nullable(),
    action: p.string(),
    targetType: p.string().nullable(),
    targetId: p.string().nullable(),
    targetLabel: p.string().nullable(),
    details: p.json<Record<string, unknown>>(),
  }),
  filters: memberFilter,
});
export type IAuditEvent = InferEntity<typeof AuditEvent>;
