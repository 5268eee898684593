import { Migration } from '@mikro-orm/migrations';

/**
 * Documents, time stamps and refunds:
 * - `invoice.recipient_name`: the member's name as at issue, printed on the qualified invoice (billing
 *   cannot read tenancy's member table; the import carries it).
 * - `timestamp_reservation` / `_item` (タイムスタンプ付与): a reservation of items (a category of a
 *   line) of the month's qualified invoice, with its print number (印刷No.) per invoice. An item is in
 *   at most one live (予約中/完了) reservation: the partial unique index enforces it.
 * - `refund` / `refund_line` (返金明細) and `refund_account` (返金口座): one bulk account per member
 *   (room_id null) or one per room. The account number is a member secret: hidden in the entity,
 *   shown masked.
 */
export class Migration20261122120000_documents_timestamps_refunds extends Migration {
  override name = 'Migration20261122120000_documents_timestamps_refunds';

  override up(): void {
    this.addSql(`
      alter table billing.invoice add column recipient_name text;
      alter table billing.invoice add constraint invoice_id_member_key unique (id, member_id);
      alter table billing.invoice_line add constraint invoice_line_id_member_key unique (id, member_id);

      create table billing.timestamp_reservation (
        id uuid primary key,
        member_id uuid not null,
        invoice_id uuid not null,
        print_no integer not null check (print_no > 0),
        status varchar(10) not null default 'RESERVED' check (status in ('RESERVED', 'CANCELLED', 'COMPLETED')),
        requested_by_account_id uuid not null,
        requested_at timestamptz not null,
        cancelled_at timestamptz,
        cancelled_by_account_id uuid,
        stamped_at timestamptz,
        gen_time timestamptz,
        document_key text,
        token_key text,
        document_sha256 char(64),
        item_count integer not null check (item_count > 0),
        total_amount integer not null check (total_amount >= 0),
        constraint timestamp_reservation_print_no_key unique (invoice_id, print_no),
        constraint timestamp_reservation_invoice_fkey foreign key (invoice_id, member_id) references billing.invoice (id, member_id) on delete cascade,
        constraint timestamp_reservation_completed_check check ((status = 'COMPLETED') = (stamped_at is not null and document_key is not null and token_key is not null)),
        constraint timestamp_reservation_cancelled_check check ((status = 'CANCELLED') = (cancelled_at is not null))
      );
      create index timestamp_reservation_member_idx on billing.timestamp_reservation (member_id, invoice_id);
      create index timestamp_reservation_reserved_idx on billing.timestamp_reservation (requested_at) where status = 'RESERVED';

      create table billing.timestamp_reservation_item (
        reservation_id uuid not null references billing.timestamp_reservation (id) on delete cascade,
        member_id uuid not null,
        line_id uuid not null,
        -- exit settlements are stamped already (manual p.5 ⑥): never selectable here
        category varchar(24) not null check (category in ('NEXT_MONTH_USAGE_FEE', 'ANNUAL_FEE', 'MINOR_SERVICES_FEE')),
        amount integer not null check (amount > 0),
        live boolean not null default true,
        primary key (reservation_id, line_id, category),
        constraint timestamp_reservation_item_line_fkey foreign key (line_id, member_id) references billing.invoice_line (id, member_id) on delete cascade
      );
      create unique index timestamp_reservation_item_live_key on billing.timestamp_reservation_item (line_id, category) where live;

      create table billing.refund (
        id uuid primary key,
        member_id uuid not null,
        refund_month char(7) not null check (refund_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        refund_date date not null,
        publish_date date not null,
        amount integer not null check (amount >= 0),
        print_count integer not null default 0 check (print_count >= 0),
        recipient_name text,
        created_at timestamptz not null default now(),
        constraint refund_member_month_key unique (member_id, refund_month),
        constraint refund_id_member_key unique (id, member_id),
        constraint refund_publish_before_check check (publish_date <= refund_date)
      );

      create table billing.refund_line (
        id uuid primary key,
        member_id uuid not null,
        refund_id uuid not null,
        room_id uuid not null,
        ap_no varchar(12) not null,
        property_name text not null,
        room_number varchar(10) not null,
        member_number varchar(8) not null,
        amount integer not null check (amount > 0),
        method varchar(12) not null check (method in ('INDIVIDUAL', 'BULK')),
        status varchar(12) not null default 'SCHEDULED' check (status in ('SCHEDULED', 'PAID', 'NO_ACCOUNT')),
        constraint refund_line_refund_fkey foreign key (refund_id, member_id) references billing.refund (id, member_id) on delete cascade
      );
      create index refund_line_refund_idx on billing.refund_line (refund_id, ap_no, room_number);

      create table billing.refund_account (
        id uuid primary key,
        member_id uuid not null,
        room_id uuid,
        bank_code char(4) not null check (bank_code ~ '^[0-9]{4}$'),
        bank_name text not null,
        branch_code char(3) not null check (branch_code ~ '^[0-9]{3}$'),
        branch_name text not null,
        account_type varchar(8) not null check (account_type in ('ORDINARY', 'CURRENT')),
        account_number char(7) not null check (account_number ~ '^[0-9]{7}$'),
        holder_kana varchar(30) not null,
        holder_name text not null,
        updated_at timestamptz not null,
        updated_by_account_id uuid
      );
      create unique index refund_account_bulk_key on billing.refund_account (member_id) where room_id is null;
      create unique index refund_account_room_key on billing.refund_account (member_id, room_id) where room_id is not null;
    `);
  }
}
