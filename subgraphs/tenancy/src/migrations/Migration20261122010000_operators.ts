import { Migration } from '@mikro-orm/migrations';
import { mailOutboxDdl } from '@portal/platform';

/**
 * Operator (back office) accounts and their sessions, and tenancy's mail outbox. An operator
 * session has no member: it carries the `operator` scope, which no member account can hold.
 */
export class Migration20261122010000_operators extends Migration {
  override name = 'Migration20261122010000_operators';

  override up(): void {
    this.addSql(`
      create table tenancy.operator_account (
        id uuid primary key,
        login_id varchar(64) not null,
        name text not null,
        email text not null,
        password_hash text not null,
        failed_login_count integer not null default 0,
        locked_until timestamptz,
        created_at timestamptz not null default now()
      );
      create unique index operator_account_login_id_key on tenancy.operator_account (lower(login_id));

      alter table tenancy.session
        alter column account_id drop not null,
        alter column member_id drop not null,
        add column operator_id uuid references tenancy.operator_account(id) on delete cascade,
        add constraint session_owner_check check (
          (account_id is not null and member_id is not null and operator_id is null)
          or (operator_id is not null and account_id is null and member_id is null));

      drop function tenancy.resolve_session(bytea, interval);
      create function tenancy.resolve_session(p_token_hash bytea, p_idle interval)
      returns table (
        session_id uuid, kind text, account_id uuid, member_id uuid, member_number varchar, login_id varchar,
        is_admin boolean, billing_level text, cancellation_level text, residents_level text,
        smartlock_level text, fire_insurance_level text, allow_list text[]
      )
      language plpgsql as $fn$
      declare s tenancy.session%rowtype;
      begin
        select * into s from tenancy.session
         where token_hash = p_token_hash and expires_at > now() and last_seen_at > now() - p_idle;
        if not found then return; end if;
        if s.last_seen_at < now() - interval '1 minute' then
          update tenancy.session set last_seen_at = now() where id = s.id;
        end if;
        if s.operator_id is not null then
          return query
            select s.id, 'operator'::text, o.id, null::uuid, null::varchar, o.login_id, false,
                   null::text, null::text, null::text, null::text, null::text, '{}'::text[]
              from tenancy.operator_account o where o.id = s.operator_id;
          return;
        end if;
        return query
          select s.id, 'member'::text, a.id, a.member_id, m.member_number, a.login_id, a.is_admin,
                 a.billing_level::text, a.cancellation_level::text, a.residents_level::text,
                 a.smartlock_level::text, a.fire_insurance_level::text,
                 coalesce((select array_agg(e.cidr order by e.cidr) from tenancy.ip_allow_entry e where e.member_id = a.member_id), '{}')
            from tenancy.account a join tenancy.member m on m.id = a.member_id
           where a.id = s.account_id;
      end
      $fn$;
    `);
    this.addSql(mailOutboxDdl('tenancy'));
  }
}
