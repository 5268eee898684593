import { Migration } from '@mikro-orm/migrations';

/**
 * The member's audit trail (操作履歴): one append-only table written in the same transaction as
 * the action it records. The database itself refuses UPDATE, DELETE and TRUNCATE on it, whoever
 * the caller is (a REVOKE would not bind the table's owner, which is the role the app runs as).
 *
 * Adding an action later: `alter type tenancy.audit_action add value 'NEW_ACTION';` in a new
 * migration, plus the constant in modules/audit/audit-actions.ts and the GraphQL enum value.
 */
export class Migration20261122040000_audit_trail extends Migration {
  override name = 'Migration20261122040000_audit_trail';

  override up(): void {
    this.addSql(`
      create type tenancy.audit_action as enum (
        'LOGIN_SUCCEEDED', 'LOGIN_FAILED', 'LOGOUT',
        'ACCOUNT_CREATED', 'ACCOUNT_UPDATED', 'ACCOUNT_DELETED', 'PERMISSIONS_CHANGED',
        'PASSWORD_CHANGED', 'PASSWORD_RESET',
        'ALLOW_LIST_ENTRY_ADDED', 'ALLOW_LIST_ENTRY_UPDATED', 'ALLOW_LIST_ENTRY_DELETED', 'ALLOW_LIST_RESET',
        'MEMBER_INFO_UPDATED', 'AUDIT_EXPORTED'
      );
      create type tenancy.audit_actor as enum ('ACCOUNT', 'OPERATOR', 'ANONYMOUS');

      create table tenancy.audit_event (
        id uuid primary key,
        -- insertion order: the stable order and cursor of the trail, whatever the clock says
        seq bigint generated always as identity unique,
        -- null only for failed logins with an unknown login ID (no member to show them to)
        member_id uuid references tenancy.member(id),
        at timestamptz not null,
        actor_type tenancy.audit_actor not null,
        -- no foreign key: the trail outlives deleted accounts; login_id is the snapshot of who it was
        account_id uuid,
        login_id varchar(64),
        client_ip text,
        request_id text,
        action tenancy.audit_action not null,
        target_type text,
        target_id text,
        target_label text,
        details jsonb not null default '{}'::jsonb,
        check (jsonb_typeof(details) = 'object')
      );
      create index audit_event_member_seq_idx on tenancy.audit_event (member_id, seq desc);
      create index audit_event_member_at_idx on tenancy.audit_event (member_id, at);
      create index audit_event_member_account_idx on tenancy.audit_event (member_id, account_id);
      create index audit_event_member_target_idx on tenancy.audit_event (member_id, target_id);

      create function tenancy.audit_event_append_only() returns trigger
      language plpgsql as $fn$
      begin
        raise exception 'tenancy.audit_event is append-only: % refused', tg_op using errcode = '42501';
      end
      $fn$;
      create trigger audit_event_no_update_delete before update or delete on tenancy.audit_event
        for each row execute function tenancy.audit_event_append_only();
      create trigger audit_event_no_truncate before truncate on tenancy.audit_event
        for each statement execute function tenancy.audit_event_append_only();
    `);
  }
}
