import { Migration } from '@mikro-orm/migrations';
import { mailOutboxDdl } from '@portal/platform';

/**
 * Holds (保留) and confirmation (確定), with what they cause outside billing:
 * - `invoice_hold`: one row per held category of a line, or per whole line (target WHOLE_LINE), each
 *   with its reason. Its composite foreign key keeps a hold on the line's own member and invoice.
 * - `mail_outbox`: the operator's notification of a confirmation, committed with the confirmation.
 * - `audit_outbox`: billing's entries for the member's audit trail (owned by tenancy). Billing never
 *   writes tenancy's schema: it appends here in the same transaction as the action, and publishes
 *   the rows through `billing.audit_feed(after_seq, max_rows)`, the one contract tenancy's ingest job
 *   reads (docs/architecture.md, "Audit events from other subgraphs").
 */
export class Migration20261122110000_holds_confirmation extends Migration {
  override name = 'Migration20261122110000_holds_confirmation';

  override up(): void {
    this.addSql(`
      alter table billing.invoice_line add constraint invoice_line_id_member_invoice_key unique (id, member_id, invoice_id);

      create table billing.invoice_hold (
        id uuid primary key,
        member_id uuid not null,
        invoice_id uuid not null,
        line_id uuid not null,
        target varchar(24) not null check (target in ('NEXT_MONTH_USAGE_FEE', 'ANNUAL_FEE', 'MINOR_SERVICES_FEE', 'EXIT_SETTLEMENT', 'WHOLE_LINE')),
        reason text not null check (length(btrim(reason)) between 1 and 200),
        held_at timestamptz not null,
        held_by_account_id uuid,
        constraint invoice_hold_line_target_key unique (line_id, target),
        constraint invoice_hold_line_fkey foreign key (line_id, member_id, invoice_id)
          references billing.invoice_line (id, member_id, invoice_id) on delete cascade
      );
      create index invoice_hold_invoice_idx on billing.invoice_hold (invoice_id);

      create table billing.audit_outbox (
        id uuid primary key,
        seq bigint generated always as identity unique,
        member_id uuid not null,
        at timestamptz not null,
        actor_type varchar(10) not null check (actor_type in ('ACCOUNT', 'OPERATOR')),
        account_id uuid,
        client_ip text,
        request_id text,
        action varchar(40) not null,
        target_type text,
        target_id text,
        target_label text,
        details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object')
      );
      create index audit_outbox_member_idx on billing.audit_outbox (member_id, seq);

      create function billing.audit_outbox_append_only() returns trigger
      language plpgsql as $fn$
      begin
        raise exception 'billing.audit_outbox is append-only: % refused', tg_op using errcode = '42501';
      end
      $fn$;
      create trigger audit_outbox_no_update_delete before update or delete on billing.audit_outbox
        for each row execute function billing.audit_outbox_append_only();

      -- The published contract: rows after a sequence number, oldest first. Writers take
      -- pg_advisory_xact_lock(AUDIT_OUTBOX_LOCK) before inserting (modules/audit/audit-outbox.ts), so
      -- rows commit in seq order and "after the last seq I stored" never skips a row.
      create function billing.audit_feed(after_seq bigint, max_rows integer)
      returns setof billing.audit_outbox
      language sql stable as $fn$
        select o.* from billing.audit_outbox o
         where o.seq > after_seq
         order by o.seq
         limit greatest(1, least(max_rows, 10000))
      $fn$;
    `);
    this.addSql(mailOutboxDdl('billing'));
  }
}
