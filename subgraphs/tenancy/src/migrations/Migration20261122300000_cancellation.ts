import { Migration } from '@mikro-orm/migrations';

/**
 * Mid-term cancellation (中途解約): the cancellations with their approvals and history, and the
 * settlement statements (解約清算明細書). Every table is member-private (member_id).
 *
 * Search (解約対象検索) reads rooms LEFT JOIN their latest cancellation; `latest` is kept on one
 * row per room (unique partial index) so the join is an index lookup, and `move_out_date` is a
 * stored generated column so the move-out range filter is indexable. See docs/cancellation.md.
 */
export class Migration20261122300000_cancellation extends Migration {
  override name = 'Migration20261122300000_cancellation';

  override up(): void {
    this.addSql(`
      create table tenancy.cancellation (
        id uuid primary key,
        member_id uuid not null references tenancy.member(id),
        room_id uuid not null references tenancy.room(id),
        lease_id uuid not null references tenancy.lease(id),
        status text not null check (status in ('AWAITING_APPROVAL', 'DENIED', 'SUBMITTED', 'CHANGE_PENDING', 'CHANGE_ERROR', 'WITHDRAWN', 'MOVED_OUT')),
        cancellation_date date not null,
        original_date date not null,
        reasons text[] not null check (cardinality(reasons) between 1 and 5),
        contact_name text not null,
        contact_phone varchar(20) not null,
        approvals_required integer not null check (approvals_required >= 0),
        -- no foreign key: the record outlives a deleted account; the name is the snapshot
        requested_by uuid not null,
        requested_by_name text not null,
        filed_at timestamptz not null,
        submitted_at timestamptz,
        latest boolean not null default true,
        date_change_count integer not null default 0 check (date_change_count between 0 and 1),
        withdrawal_count integer not null default 0 check (withdrawal_count between 0 and 1),
        witness_consent boolean not null default false,
        pending_kind text check (pending_kind in ('DATE_CHANGE', 'WITHDRAWAL')),
        pending_date date,
        pending_at_witness_request boolean,
        pending_consent boolean,
        pending_requested_at timestamptz,
        pending_requested_by uuid,
        decide_after timestamptz,
        change_error_code text,
        change_error_at timestamptz,
        next_lease_decided_at timestamptz,
        moved_out_on date,
        denied_by uuid,
        denied_by_name text,
        denied_at timestamptz,
        denial_reason text,
        move_out_date date generated always as (
          case when status in ('DENIED', 'WITHDRAWN') then null else coalesce(moved_out_on, cancellation_date) end
        ) stored,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check ((status = 'CHANGE_PENDING') = (pending_kind is not null)),
        check (pending_kind is distinct from 'DATE_CHANGE' or pending_date is not null)
      );
      -- one live cancellation per lease: a second filing loses the race here, whatever the timing
      create unique index cancellation_live_lease_key on tenancy.cancellation (lease_id)
        where status in ('AWAITING_APPROVAL', 'SUBMITTED', 'CHANGE_PENDING', 'CHANGE_ERROR', 'MOVED_OUT');
      create unique index cancellation_latest_room_key on tenancy.cancellation (room_id) where latest;
      create index cancellation_member_status_idx on tenancy.cancellation (member_id, status) where latest;
      create index cancellation_member_move_out_idx on tenancy.cancellation (member_id, move_out_date) where latest;
      create index cancellation_member_filed_idx on tenancy.cancellation (member_id, filed_at desc, id desc);
      create index cancellation_filed_idx on tenancy.cancellation (filed_at desc, id desc);
      create index cancellation_pending_idx on tenancy.cancellation (decide_after) where status = 'CHANGE_PENDING';

      -- The ORM writes a unit of work in its own order (these ids are plain columns, not relations),
      -- so references to a cancellation are checked at commit.
      create table tenancy.cancellation_approval (
        id uuid primary key,
        member_id uuid not null references tenancy.member(id),
        cancellation_id uuid not null references tenancy.cancellation(id) on delete cascade deferrable initially deferred,
        account_id uuid not null,
        account_name text not null,
        decision text not null check (decision in ('APPROVED', 'DENIED')),
        reason text,
        decided_at timestamptz not null,
        unique (cancellation_id, account_id)
      );

      -- what happened to a cancellation, in order (the screen's history and the job's decisions)
      create table tenancy.cancellation_event (
        id uuid primary key,
        seq bigint generated always as identity unique,
        member_id uuid not null references tenancy.member(id),
        cancellation_id uuid not null references tenancy.cancellation(id) on delete cascade deferrable initially deferred,
        at timestamptz not null,
        event text not null,
        from_status text,
        to_status text not null,
        actor_type text not null check (actor_type in ('ACCOUNT', 'OPERATOR', 'SYSTEM')),
        actor_id uuid,
        actor_name text,
        details jsonb not null default '{}'::jsonb
      );
      create index cancellation_event_cancellation_idx on tenancy.cancellation_event (cancellation_id, seq);

      create sequence tenancy.settlement_statement_seq;
      create table tenancy.settlement_statement (
        id uuid primary key,
        member_id uuid not null references tenancy.member(id),
        cancellation_id uuid not null unique references tenancy.cancellation(id) deferrable initially deferred,
        room_id uuid not null references tenancy.room(id),
        statement_number varchar(20) not null unique,
        issued_on date not null,
        issuer_name text not null,
        issuer_registration_number varchar(14) not null check (issuer_registration_number ~ '^T[0-9]{13}$'),
        lines jsonb not null check (jsonb_typeof(lines) = 'array'),
        tax_breakdown jsonb not null check (jsonb_typeof(tax_breakdown) = 'array'),
        subtotal integer not null,
        total_tax integer not null,
        total_amount integer not null,
        note text,
        file_key text not null,
        published_by uuid not null references tenancy.operator_account(id),
        published_at timestamptz not null
      );
      create index settlement_statement_member_idx on tenancy.settlement_statement (member_id, cancellation_id);

      -- search filters on the foundation's tables (解約対象検索): room number within a member,
      -- prefecture/city of a property
      create index room_member_room_number_idx on tenancy.room (member_id, room_number);
      create index property_prefecture_city_idx on tenancy.property (prefecture, city);
    `);
    // The member's audit trail (操作履歴) records the cancellation actions too
    // (modules/audit/audit-actions.ts and the GraphQL enum AuditAction list the same values).
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_FILED'`);
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_APPROVED'`);
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_DENIED'`);
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_DATE_CHANGE_REQUESTED'`);
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_WITHDRAWAL_REQUESTED'`);
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_CHANGE_DECIDED'`);
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_NEXT_LEASE_MARKED'`);
    this.addSql(`alter type tenancy.audit_action add value 'CANCELLATION_MOVED_OUT'`);
    this.addSql(`alter type tenancy.audit_action add value 'SETTLEMENT_STATEMENT_PUBLISHED'`);
    this.addSql(`alter type tenancy.audit_action add value 'SETTLEMENT_STATEMENTS_DOWNLOADED'`);
  }
}
