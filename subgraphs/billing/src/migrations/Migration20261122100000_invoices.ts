import { Migration } from '@mikro-orm/migrations';

/**
 * Billing's first tables: monthly invoices (請求明細) and their per-room lines. Room data on a line is
 * a snapshot taken at issue (a later change of property name must not rewrite a published invoice);
 * room_id points at tenancy's room by value only (no foreign key across schemas).
 *
 * Room for what comes next: holds (保留) will hang off invoice_line per category, confirmation fills
 * status/confirmed_at/confirmed_by_account_id, documents and time stamp reservations (印刷No.) get
 * their own tables keyed by invoice_id.
 */
export class Migration20261122100000_invoices extends Migration {
  override name = 'Migration20261122100000_invoices';

  override up(): void {
    this.addSql(`
      create table billing.invoice (
        id uuid primary key,
        member_id uuid not null,
        billing_month char(7) not null check (billing_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        issue_date date not null,
        due_date date not null,
        payment_method varchar(12) not null check (payment_method in ('TRANSFER', 'DIRECT_DEBIT')),
        total_amount integer not null check (total_amount >= 0),
        print_count integer not null default 0 check (print_count >= 0),
        status varchar(10) not null default 'PUBLISHED' check (status in ('PUBLISHED', 'CONFIRMED')),
        confirmed_at timestamptz,
        confirmed_by_account_id uuid,
        created_at timestamptz not null default now(),
        -- one invoice per member and month; also serves "newest first" listing per member.
        constraint invoice_member_month_key unique (member_id, billing_month),
        -- target of the lines' composite foreign key, so a line can never sit under another member's invoice.
        constraint invoice_id_member_month_key unique (id, member_id, billing_month),
        constraint invoice_confirmed_check check ((status = 'CONFIRMED') = (confirmed_at is not null)),
        constraint invoice_due_after_issue_check check (due_date >= issue_date)
      );

      create table billing.invoice_line (
        id uuid primary key,
        member_id uuid not null,
        invoice_id uuid not null,
        -- copied from the invoice (enforced by the foreign key) so Room.invoiceLines(billingMonth) is one index lookup.
        billing_month char(7) not null,
        room_id uuid not null,
        ap_no varchar(12) not null,
        property_name text not null,
        room_number varchar(10) not null,
        member_number varchar(8) not null,
        next_month_usage_fee integer not null default 0 check (next_month_usage_fee >= 0),
        annual_fee integer not null default 0 check (annual_fee >= 0),
        minor_services_fee integer not null default 0 check (minor_services_fee >= 0),
        exit_settlement integer not null default 0 check (exit_settlement >= 0),
        tax_rate smallint not null default 10 check (tax_rate in (8, 10)),
        total integer generated always as (next_month_usage_fee + annual_fee + minor_services_fee + exit_settlement) stored,
        created_at timestamptz not null default now(),
        constraint invoice_line_invoice_fkey foreign key (invoice_id, member_id, billing_month)
          references billing.invoice (id, member_id, billing_month) on delete cascade
      );
      -- An invoice's lines in display order (APNo, room number), for paging and for the apNo/roomNumber filters.
      create index invoice_line_invoice_order_idx on billing.invoice_line (invoice_id, ap_no, room_number, id);
      -- Room.invoiceLines(billingMonth), batched over many rooms.
      create index invoice_line_room_month_idx on billing.invoice_line (room_id, billing_month);
      -- Member-wide lookups by APNo (and any member_id-only scan through its prefix).
      create index invoice_line_member_ap_no_idx on billing.invoice_line (member_id, ap_no);
    `);
  }
}
