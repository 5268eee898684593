import { Migration } from '@mikro-orm/migrations';

/**
 * Audit entries of other subgraphs (billing's `audit.recorded` events) in the member's trail.
 *
 * `source` names the subgraph an entry came from and `source_id` is the event's own id (the row id
 * of the source's outbox); both are null for tenancy's own entries. The unique constraint makes the
 * consumer's `insert … on conflict do nothing` idempotent: a redelivered or republished event adds
 * nothing. (Null pairs never conflict, so tenancy's own entries are unaffected.)
 *
 * Billing's actions join `tenancy.audit_action` (labels in modules/audit/audit-actions.ts).
 */
export class Migration20261122510000_audit_ingest extends Migration {
  override name = 'Migration20261122510000_audit_ingest';

  override up(): void {
    this.addSql(`alter type tenancy.audit_action add value 'INVOICE_HOLDS_SAVED'`);
    this.addSql(`alter type tenancy.audit_action add value 'INVOICE_CONFIRMED'`);
    this.addSql(`alter type tenancy.audit_action add value 'INVOICES_IMPORTED'`);
    this.addSql(`alter type tenancy.audit_action add value 'TIMESTAMP_RESERVED'`);
    this.addSql(`alter type tenancy.audit_action add value 'TIMESTAMP_CANCELLED'`);
    this.addSql(`alter type tenancy.audit_action add value 'REFUND_ACCOUNT_SAVED'`);
    this.addSql(`alter type tenancy.audit_action add value 'REFUND_ACCOUNT_DELETED'`);
    this.addSql(`
      alter table tenancy.audit_event
        add column source text,
        add column source_id uuid,
        add constraint audit_event_source_check check ((source is null) = (source_id is null)),
        add constraint audit_event_source_uq unique (source, source_id);
    `);
  }
}
