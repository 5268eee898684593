/**
 * `audit.recorded`: one entry of another subgraph's audit outbox for the member's trail (操作履歴),
 * which tenancy owns. Billing's relay publishes it; tenancy's ingest parses it with this schema,
 * checks the action against what that source may record (tenancy's EXTERNAL_AUDIT_ACTIONS: a
 * policy of the trail's owner, so it stays there) and inserts it once by (`source`, `id`).
 */
import { z } from 'zod';
import { contractVersion, defineEvent, outboxSequence } from './contract.ts';

/** Subgraphs that put entries into tenancy's trail through this event. */
export const AUDIT_SOURCES = ['billing'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];
export const AUDIT_ACTOR_TYPES = ['ACCOUNT', 'OPERATOR', 'ANONYMOUS'] as const;

const text = (max: number) => z.string().max(max).nullable();

/**
 * v1: the row of the source's outbox as is. `id` is the entry's identity (a consumer inserts it
 * once); `version` is the source's sequence. `details` went through `sanitizeDetails` at the
 * source and goes through it again at the trail.
 */
export const auditRecorded = defineEvent({
  name: 'audit.recorded',
  version: 1,
  publisher: 'billing',
  schema: z.object({
    v: contractVersion(1),
    source: z.enum(AUDIT_SOURCES),
    id: z.uuid(),
    version: outboxSequence,
    memberId: z.uuid(),
    at: z.iso.datetime({ offset: true }),
    actorType: z.enum(AUDIT_ACTOR_TYPES),
    accountId: z.uuid().nullable(),
    clientIp: text(64),
    requestId: text(200),
    action: z.string(),
    targetType: text(100),
    targetId: text(200),
    targetLabel: text(500),
    details: z.record(z.string(), z.unknown()),
  }),
});

export const AUDIT_RECORDED_EVENT = auditRecorded.name;
export const auditRecordedSchema = auditRecorded.schema;
/** What the source publishes (`v` may be left out: it can only be 1). */
export type AuditRecordedInput = Omit<z.output<typeof auditRecordedSchema>, 'v'> & { v?: 1 };
export type AuditRecorded = z.output<typeof auditRecordedSchema>;
