import { Migration } from '@mikro-orm/migrations';

/**
 * Contracts' first tables: the member's own fire insurance policies (火災保険管理) and e-contract
 * approvers (決裁者情報管理). Both are member-private (member_id on every row). Room ids point at
 * tenancy's rooms by value only: no foreign key crosses a subgraph's schema.
 *
 * Room for what comes next: certificate uploads fill certificate_file_key; the approver OTP flow,
 * power-of-attorney documents and contract cases get their own tables keyed by approver.id; the
 * insurance expiry job reads the (member_id, end_date) index.
 */
export class Migration20261123000000_initial extends Migration {
  override name = 'Migration20261123000000_initial';

  override up(): void {
    this.addSql(`
      create table contracts.fire_insurance_policy (
        id uuid primary key,
        member_id uuid not null,
        -- null = blanket (包括): covers every contracted room of the member.
        room_id uuid,
        coverage_kind text not null check (coverage_kind in ('BLANKET', 'PER_ROOM')),
        insurer text not null,
        -- required by the form when the insurer is その他 (other), entered in 備考欄.
        insurer_other_name text,
        policy_number varchar(40) not null,
        start_date date not null,
        end_date date not null,
        premium integer not null check (premium >= 0),
        coverage_basic integer check (coverage_basic >= 0),
        coverage_tenant_liability integer check (coverage_tenant_liability >= 0),
        coverage_personal_liability integer check (coverage_personal_liability >= 0),
        coverage_repair_costs integer check (coverage_repair_costs >= 0),
        coverage_other integer check (coverage_other >= 0),
        registration_kind text not null check (registration_kind in ('NEW', 'RENEWAL', 'MODIFIED', 'CANCELLED_MIDTERM')),
        certificate_file_key text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint fire_insurance_policy_kind_room_check check ((coverage_kind = 'BLANKET') = (room_id is null)),
        constraint fire_insurance_policy_period_check check (end_date >= start_date)
      );
      create index fire_insurance_policy_member_room_idx on contracts.fire_insurance_policy (member_id, room_id);
      create index fire_insurance_policy_number_idx on contracts.fire_insurance_policy (policy_number);
      create index fire_insurance_policy_member_end_idx on contracts.fire_insurance_policy (member_id, end_date);

      create table contracts.approver (
        id uuid primary key,
        member_id uuid not null,
        name text not null,
        kana text not null,
        title text not null default '社員',
        department text,
        phone varchar(15) not null check (phone ~ '^[0-9]{10,15}$'),
        email text not null,
        poa_valid_from date not null,
        poa_valid_to date not null,
        memo varchar(200),
        status text not null default 'INPUT'
          check (status in ('INPUT', 'AWAITING_APPROVER', 'POA_UPLOAD', 'OPERATOR_REVIEW', 'COMPLETED', 'CORRECTION_REQUESTED')),
        -- 登録者: the account that entered the approver (tenancy's account id, by value).
        registered_by_account_id uuid,
        -- millisecond precision: the list's keyset cursor carries created_at as a JS Date.
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz not null default now(),
        -- The 3-year maximum is a business rule (isPowerOfAttorneyPeriodValid), checked before writing.
        constraint approver_poa_period_check check (poa_valid_to >= poa_valid_from)
      );
      create index approver_member_list_idx on contracts.approver (member_id, created_at desc, id desc);
      -- "The same e-mail is the same person" (manual): lookups by e-mail within a member.
      create index approver_member_email_idx on contracts.approver (member_id, lower(email));
    `);
  }
}
