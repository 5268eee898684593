import { fileURLToPath } from 'node:url';
import { Migration20261207040000_late_invoices } from './migrations/Migration20261207040000_late_invoices.ts';
import { Migration20261207031500_idempotency_keys } from './migrations/Migration20261207031500_idempotency_keys.ts';
import { Migration20261207040000_annual_fee_kind } from './migrations/Migration20261207040000_annual_fee_kind.ts';
import { DateScalar, DateTimeScalar, mergeResolvers, type SubgraphDefinition } from '@portal/subgraph-kit';
import type { Resolvers } from './generated/resolvers-types.ts';
import { createLoaders, type BillingLoaders } from './loaders.ts';
import { Invoice, InvoiceLine } from './modules/invoice/invoice.entity.ts';
import { invoiceResolvers } from './modules/invoice/invoice.resolvers.ts';
import { roomResolvers } from './modules/room/room.resolvers.ts';
import { Migration20261122100000_invoices } from './migrations/Migration20261122100000_invoices.ts';
import { Migration20261122110000_holds_confirmation } from './migrations/Migration20261122110000_holds_confirmation.ts';
import { Migration20261207000000_row_level_security } from './migrations/Migration20261207000000_row_level_security.ts';
import { Migration20261207050000_idempotency_row_security } from './migrations/Migration20261207050000_idempotency_row_security.ts';
import { Migration20261207060000_member_refs_row_security } from './migrations/Migration20261207060000_member_refs_row_security.ts';
import { InvoiceHold } from './modules/hold/hold.entity.ts';
import { holdResolvers } from './modules/hold/hold.resolvers.ts';
import { operatorResolvers } from './modules/operator/operator.resolvers.ts';
import { documentResolvers } from './modules/document/document.resolvers.ts';
import { timestampResolvers } from './modules/timestamp/timestamp.resolvers.ts';
import { refundResolvers } from './modules/refund/refund.resolvers.ts';
import { Refund, RefundAccount, RefundLine } from './modules/refund/refund.entity.ts';
import { TimestampReservation } from './modules/timestamp/timestamp.entity.ts';
import { configureTsa } from './modules/timestamp/tsa-registry.ts';
import { AUDIT_RELAY_JOB, AUDIT_RELAY_SCHEDULE, relayAuditEvents } from './modules/audit/audit-relay.ts';
import { Migration20261122130000_audit_relay } from './migrations/Migration20261122130000_audit_relay.ts';
import { stampReservations, TIMESTAMP_JOB, TIMESTAMP_SCHEDULE } from './modules/timestamp/timestamp.job.ts';
import { Migration20261122120000_documents_timestamps_refunds } from './migrations/Migration20261122120000_documents_timestamps_refunds.ts';
import { Migration20261207010000_download_audit } from './migrations/Migration20261207010000_download_audit.ts';
import { writeDownloadAudit } from './modules/audit/download-audit.ts';
import { z } from 'zod';
import { Migration20261207040000_member_refs } from './migrations/Migration20261207040000_member_refs.ts';
import { AccountRef, MemberRef } from './modules/member-ref/member-ref.entity.ts';
import { registerMemberRefConsumer } from './modules/member-ref/member-ref.consumer.ts';

/** The billing subgraph: monthly invoices and their lines (holds, confirmation, documents and refunds come later). */
export const billing: SubgraphDefinition<BillingLoaders> = {
  name: 'billing',
  defaultPort: 4001,
  dir: fileURLToPath(new URL('..', import.meta.url)),
  entities: [Invoice, InvoiceLine, InvoiceHold, TimestampReservation, Refund, RefundLine, RefundAccount, MemberRef, AccountRef],
  sharedTables: {
    audit_relay: "the audit relay's single cursor row",
    mail_outbox: 'outgoing mail to the operators; no member column',
    mikro_orm_migrations: 'migration history (not granted to the run-time role)',
  },
  migrations: [
    { name: 'Migration20261122100000_invoices', class: Migration20261122100000_invoices },
    { name: 'Migration20261122110000_holds_confirmation', class: Migration20261122110000_holds_confirmation },
    { name: 'Migration20261122120000_documents_timestamps_refunds', class: Migration20261122120000_documents_timestamps_refunds },
    { name: 'Migration20261122130000_audit_relay', class: Migration20261122130000_audit_relay },
    { name: 'Migration20261207010000_download_audit', class: Migration20261207010000_download_audit },
    { name: 'Migration20261207031500_idempotency_keys', class: Migration20261207031500_idempotency_keys },
    { name: 'Migration20261207000000_row_level_security', class: Migration20261207000000_row_level_security },
    { name: 'Migration20261207050000_idempotency_row_security', class: Migration20261207050000_idempotency_row_security },
    { name: 'Migration20261207040000_member_refs', class: Migration20261207040000_member_refs },
    { name: 'Migration20261207060000_member_refs_row_security', class: Migration20261207060000_member_refs_row_security },
    { name: 'Migration20261207040000_annual_fee_kind', class: Migration20261207040000_annual_fee_kind },
    { name: 'Migration20261207040000_late_invoices', class: Migration20261207040000_late_invoices },
  ],
  // Uses of billing's download links, through the audit outbox into the member's trail.
  recordDownload: writeDownloadAudit,
  mail: true,
  // Keys of the mutations listed in docs/architecture.md (Idempotency keys); expired ones purged hourly.
  idempotency: true,
  events: true,
  settings: {
    /** Where confirmations (確定) are announced; the billing office's shared mailbox. */
    PORTAL_OPERATOR_MAIL: z.email().optional(),
    /** The RFC 3161 time-stamping authority; unset: a local openssl TSA under the data directory (development, tests). */
    PORTAL_TSA_URL: z.url().optional(),
    /** PEM file of the CA the configured TSA's tokens verify against (required with PORTAL_TSA_URL). */
    PORTAL_TSA_CA_FILE: z.string().optional(),
  },
  async jobs({ orm, services }) {
    const tsa = await configureTsa(services);
    services.onStop(() => tsa.stop());
    await services.jobs.work(TIMESTAMP_JOB, async () => {
      const { failed } = await stampReservations(orm as never, services, tsa, services.clock);
      if (failed) throw new Error(`${failed} time-stamp reservation(s) could not be stamped; they stay 予約中 and are retried`);
    });
    await services.jobs.schedule(TIMESTAMP_JOB, TIMESTAMP_SCHEDULE);
    // Billing's audit entries go to the member's trail (tenancy) through the event bus.
    const bus = services.events;
    if (bus) {
      await services.jobs.work(AUDIT_RELAY_JOB, async () => {
        await relayAuditEvents(orm as never, bus, services.clock);
      });
      await services.jobs.schedule(AUDIT_RELAY_JOB, AUDIT_RELAY_SCHEDULE);
      // Tenancy's member information and account names (refund statement addressee, who did it).
      await registerMemberRefConsumer({ orm: orm as never, services });
    }
  },
  resolvers: mergeResolvers<Resolvers>({ Date: DateScalar, DateTime: DateTimeScalar }, invoiceResolvers, roomResolvers, holdResolvers, operatorResolvers, documentResolvers, timestampResolvers, refundResolvers),
  loaders: createLoaders,
};
