import { fileURLToPath } from 'node:url';
import { Migration20261207031500_idempotency_keys } from './migrations/Migration20261207031500_idempotency_keys.ts';
import { Migration20261207040000_addressee_kind } from './migrations/Migration20261207040000_addressee_kind.ts';
import { Migration20261207041000_member_events } from './migrations/Migration20261207041000_member_events.ts';
import { Migration20261207041000_settlement_timestamp } from './migrations/Migration20261207041000_settlement_timestamp.ts';
import { z } from 'zod';
import { configureTsa } from '@portal/documents';
import { DateScalar, DateTimeScalar, mergeResolvers, type SubgraphDefinition } from '@portal/subgraph-kit';
import type { Resolvers } from './generated/resolvers-types.ts';
import { createLoaders, type TenancyLoaders } from './loaders.ts';
import { Member } from './modules/member/member.entity.ts';
import { Account } from './modules/identity/account.entity.ts';
import { Session } from './modules/identity/session.entity.ts';
import { IpAllowEntry } from './modules/identity/ip-allow-entry.entity.ts';
import { Lease, Property, Room } from './modules/room/room.entity.ts';
import { identityResolvers } from './modules/identity/identity.resolvers.ts';
import { roomResolvers } from './modules/room/room.resolvers.ts';
import { OperatorAccount } from './modules/operator/operator-account.entity.ts';
import { operatorResolvers } from './modules/operator/operator.resolvers.ts';
import { Migration20261122010000_operators } from './migrations/Migration20261122010000_operators.ts';
import { Migration20261122000000_initial } from './migrations/Migration20261122000000_initial.ts';
import { Migration20261122040000_audit_trail } from './migrations/Migration20261122040000_audit_trail.ts';
import { Migration20261122500000_event_outbox } from './migrations/Migration20261122500000_event_outbox.ts';
import { Migration20261122510000_audit_ingest } from './migrations/Migration20261122510000_audit_ingest.ts';
import { registerAttemptLimiterJobs } from './modules/identity/attempt-limiter.jobs.ts';
import { Migration20261207000000_attempt_counter } from './migrations/Migration20261207000000_attempt_counter.ts';
import { Migration20261207010000_download_audit } from './migrations/Migration20261207010000_download_audit.ts';
import { writeDownloadAudit } from './modules/audit/download-audit.ts';
import { Migration20261207000000_row_level_security } from './migrations/Migration20261207000000_row_level_security.ts';
import { Migration20261207050000_idempotency_row_security } from './migrations/Migration20261207050000_idempotency_row_security.ts';
import { registerAuditEventConsumer } from './modules/audit/audit-ingest.ts';
import { registerRoomEventJobs } from './modules/room-events/room-events.jobs.ts';
import { AuditEvent } from './modules/audit/audit-event.entity.ts';
import { auditResolvers } from './modules/audit/audit.resolvers.ts';
import { accountResolvers } from './modules/account/account.resolvers.ts';
import { accessRestrictionResolvers } from './modules/access-restriction/access-restriction.resolvers.ts';
import { memberResolvers } from './modules/member/member.resolvers.ts';
import { Cancellation, CancellationApproval, CancellationHistoryEvent, SettlementStatement } from './modules/cancellation/cancellation.entity.ts';
import { cancellationResolvers } from './modules/cancellation/cancellation.resolvers.ts';
import { registerCancellationJobs } from './modules/cancellation/cancellation.jobs.ts';
import { Migration20261122300000_cancellation } from './migrations/Migration20261122300000_cancellation.ts';
import { Migration20261122310000_cancellation_search } from './migrations/Migration20261122310000_cancellation_search.ts';

/** The tenancy subgraph: members, accounts and sessions, rooms and leases (cancellation comes later). */
export const tenancy: SubgraphDefinition<TenancyLoaders> = {
  name: 'tenancy',
  defaultPort: 4002,
  dir: fileURLToPath(new URL('..', import.meta.url)),
  entities: [Member, Account, Session, IpAllowEntry, Property, Room, Lease, OperatorAccount, AuditEvent, Cancellation, CancellationApproval, CancellationHistoryEvent, SettlementStatement],
  sharedTables: {
    property: 'properties are reference data every member may see rooms of',
    operator_account: "back-office accounts, not a member's",
    event_outbox: 'room events for the relay (a job: system scope); payloads carry the member id',
    mail_outbox: 'outgoing mail; no member column',
    attempt_counter: 'login and password attempt counters, keyed by address and login ID before any member is known (no member column)',
    mikro_orm_migrations: 'migration history (not granted to the run-time role)',
  },
  migrations: [
    { name: 'Migration20261122000000_initial', class: Migration20261122000000_initial },
    { name: 'Migration20261122010000_operators', class: Migration20261122010000_operators },
    { name: 'Migration20261122040000_audit_trail', class: Migration20261122040000_audit_trail },
    { name: 'Migration20261122300000_cancellation', class: Migration20261122300000_cancellation },
    { name: 'Migration20261122310000_cancellation_search', class: Migration20261122310000_cancellation_search },
    { name: 'Migration20261122500000_event_outbox', class: Migration20261122500000_event_outbox },
    { name: 'Migration20261122510000_audit_ingest', class: Migration20261122510000_audit_ingest },
    { name: 'Migration20261207000000_attempt_counter', class: Migration20261207000000_attempt_counter },
    { name: 'Migration20261207010000_download_audit', class: Migration20261207010000_download_audit },
    { name: 'Migration20261207031500_idempotency_keys', class: Migration20261207031500_idempotency_keys },
    { name: 'Migration20261207000000_row_level_security', class: Migration20261207000000_row_level_security },
    { name: 'Migration20261207050000_idempotency_row_security', class: Migration20261207050000_idempotency_row_security },
    { name: 'Migration20261207040000_addressee_kind', class: Migration20261207040000_addressee_kind },
    { name: 'Migration20261207041000_member_events', class: Migration20261207041000_member_events },
    { name: 'Migration20261207041000_settlement_timestamp', class: Migration20261207041000_settlement_timestamp },
  ],
  // Uses of tenancy's download links (audit export, settlement statements) in the member's trail.
  recordDownload: writeDownloadAudit,
  mail: true,
  // Keys of the mutations listed in docs/architecture.md (Idempotency keys); expired ones purged hourly.
  idempotency: true,
  // Publishes room, member and account events from tenancy.event_outbox to the shared bus (modules/room-events) and
  // receives other subgraphs' audit entries (`audit.recorded`, modules/audit/audit-ingest.ts).
  events: true,
  resolvers: mergeResolvers<Resolvers>({ Date: DateScalar, DateTime: DateTimeScalar }, identityResolvers, roomResolvers, operatorResolvers, auditResolvers, accountResolvers, accessRestrictionResolvers, memberResolvers, cancellationResolvers),
  loaders: createLoaders,
  settings: {
    /** The RFC 3161 time-stamping authority of settlement statements; the same as billing's (one CA verifies every document). */
    PORTAL_TSA_URL: z.url().optional(),
    /** PEM file of the CA the configured TSA's tokens verify against (required with PORTAL_TSA_URL). */
    PORTAL_TSA_CA_FILE: z.string().optional(),
  },
  jobs: async (deps) => {
    const { services } = deps;
    const tsa = await configureTsa(services, { url: services.settings.PORTAL_TSA_URL as string | undefined, caFile: services.settings.PORTAL_TSA_CA_FILE as string | undefined, dataDir: services.dataDir });
    services.onStop(() => tsa.stop());
    await registerCancellationJobs(deps);
    await registerRoomEventJobs(deps);
    await registerAuditEventConsumer(deps);
    await registerAttemptLimiterJobs(deps);
  },
};
