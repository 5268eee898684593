import { Migration } from '@mikro-orm/migrations';

/**
 * Tenancy's schema: members, accounts (with the seven permission areas), server-side sessions,
 * the IP allow-list, properties, rooms and leases. Every member-private table carries member_id.
 */
export class Migration20261122000000_initial extends Migration {
  override name = 'Migration20261122000000_initial';

  override up(): void {
    this.addSql(`
      create table tenancy.member (
        id uuid primary key,
        member_number varchar(8) not null unique check (member_number ~ '^[0-9]{8}$'),
        name text not null,
        head_office_postal_code varchar(8) not null,
        head_office_address text not null,
        mailing_postal_code varchar(8),
        mailing_city text,
        mailing_street text,
        mailing_building text,
        addressee_department text,
        addressee_contact_name text,
        addressee_contact_kana text,
        phone varchar(20) not null,
        fax varchar(20),
        registration_number varchar(14),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create type tenancy.billing_level as enum ('VIEW', 'UPDATE');
      create type tenancy.cancellation_level as enum ('NONE', 'VIEW', 'REQUEST');
      create type tenancy.use_level as enum ('NONE', 'USE');
      create type tenancy.view_use_level as enum ('NONE', 'VIEW', 'USE');

      create table tenancy.account (
        id uuid primary key,
        member_id uuid not null references tenancy.member(id) on delete cascade,
        login_id varchar(64) not null,
        name text not null,
        email text not null,
        password_hash text not null,
        is_admin boolean not null default false,
        billing_level tenancy.billing_level not null default 'VIEW',
        cancellation_level tenancy.cancellation_level not null default 'NONE',
        residents_level tenancy.use_level not null default 'NONE',
        smartlock_level tenancy.view_use_level not null default 'NONE',
        fire_insurance_level tenancy.view_use_level not null default 'NONE',
        cancellation_notify boolean not null default false,
        failed_login_count integer not null default 0,
        locked_until timestamptz,
        password_changed_at timestamptz not null default now(),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      -- login IDs are unique across the whole system: login asks only for the ID.
      create unique index account_login_id_key on tenancy.account (lower(login_id));
      create index account_member_idx on tenancy.account (member_id);

      create table tenancy.session (
        id uuid primary key,
        token_hash bytea not null unique,
        account_id uuid not null references tenancy.account(id) on delete cascade,
        member_id uuid not null references tenancy.member(id) on delete cascade,
        client_ip text not null,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
      create index session_account_idx on tenancy.session (account_id);

      create table tenancy.ip_allow_entry (
        id uuid primary key,
        member_id uuid not null references tenancy.member(id) on delete cascade,
        cidr text not null,
        note text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (member_id, cidr)
      );

      create table tenancy.property (
        id uuid primary key,
        ap_no varchar(12) not null unique,
        name text not null,
        prefecture text not null,
        city text not null,
        street text not null
      );

      create table tenancy.room (
        id uuid primary key,
        member_id uuid not null references tenancy.member(id),
        property_id uuid not null references tenancy.property(id),
        room_number varchar(10) not null,
        has_smartlock boolean not null default false,
        move_in_date date,
        created_at timestamptz not null default now(),
        unique (property_id, room_number)
      );
      create index room_member_idx on tenancy.room (member_id, id);

      create table tenancy.lease (
        id uuid primary key,
        member_id uuid not null references tenancy.member(id),
        room_id uuid not null references tenancy.room(id),
        contract_number varchar(20) not null unique,
        start_date date not null,
        end_date date,
        penalty_until date,
        penalty_amount integer check (penalty_amount >= 0),
        created_at timestamptz not null default now()
      );
      create index lease_room_idx on tenancy.lease (room_id);
      create index lease_member_idx on tenancy.lease (member_id);

      -- The identity contract with the gateway: one call per request resolves a session token
      -- (its SHA-256) to the account's current permissions and the member's allow-list, so a
      -- permission change, a deletion, a logout or an allow-list change applies to the very next request.
      create function tenancy.resolve_session(p_token_hash bytea, p_idle interval)
      returns table (
        session_id uuid, account_id uuid, member_id uuid, member_number varchar, login_id varchar,
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
        return query
          select s.id, a.id, a.member_id, m.member_number, a.login_id, a.is_admin,
                 a.billing_level::text, a.cancellation_level::text, a.residents_level::text,
                 a.smartlock_level::text, a.fire_insurance_level::text,
                 coalesce((select array_agg(e.cidr order by e.cidr) from tenancy.ip_allow_entry e where e.member_id = a.member_id), '{}')
            from tenancy.account a join tenancy.member m on m.id = a.member_id
           where a.id = s.account_id;
      end
      $fn$;
    `);
  }
}
