import { Migration } from '@mikro-orm/migrations';

/**
 * Where the audit relay stands: the highest `billing.audit_outbox.seq` it has handed to the event bus.
 * Appends are serialised (pg_advisory_xact_lock), so rows commit in seq order and a cursor is enough.
 */
export class Migration20261122130000_audit_relay extends Migration {
  override name = 'Migration20261122130000_audit_relay';

  override up(): void {
    this.addSql(`
      create table billing.audit_relay (
        id smallint primary key default 1 check (id = 1),
        last_seq bigint not null default 0,
        relayed_at timestamptz
      );
      insert into billing.audit_relay (id, last_seq) values (1, 0);
    `);
  }
}
