import { MEMBER_EVENTS, type MemberEvent, type MemberUpdated } from '@portal/events';
import { assertSqlIdentifier, type SqlExecutor } from '@portal/platform';

/**
 * Billing's read models of tenancy's members and accounts (`member_ref`, `account_ref`): their
 * tables and how an event is applied. Billing is their only consumer, so they live in its module
 * beside the entity; a second consumer would move this file down to @portal/subgraph-kit, as the
 * room read model is. The events' names and schemas are @portal/events'.
 */
const MEMBER_COLUMNS = [
  ['member_number', 'memberNumber'], ['name', 'name'], ['head_office_postal_code', 'headOfficePostalCode'], ['head_office_address', 'headOfficeAddress'],
  ['mailing_postal_code', 'mailingPostalCode'], ['mailing_city', 'mailingCity'], ['mailing_street', 'mailingStreet'], ['mailing_building', 'mailingBuilding'],
  ['addressee_kind', 'addresseeKind'], ['addressee_department', 'addresseeDepartment'], ['addressee_contact_name', 'addresseeContactName'],
  ['addressee_contact_kana', 'addresseeContactKana'], ['phone', 'phone'], ['fax', 'fax'],
] as const satisfies readonly (readonly [string, keyof MemberUpdated])[];

/**
 * Applies a member or account event to `<schema>.member_ref` / `<schema>.account_ref` in one
 * statement. Returns true when the row changed, false when it already holds this version or a newer one.
 */
export async function applyMemberEvent(exec: SqlExecutor, schema: string, { event, data }: MemberEvent): Promise<boolean> {
  const s = assertSqlIdentifier(schema, 'schema');
  if (event === MEMBER_EVENTS.updated) {
    const columns = MEMBER_COLUMNS.map(([c]) => c);
    const { rows } = await exec.query(
      `INSERT INTO ${s}.member_ref AS t (member_id, ${columns.join(', ')}, version, updated_at)
       VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}, $${columns.length + 2}, now())
       ON CONFLICT (member_id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}, version = excluded.version, updated_at = now()
       WHERE t.version < excluded.version
       RETURNING member_id`,
      [data.memberId, ...MEMBER_COLUMNS.map(([, k]) => data[k]), data.version],
    );
    return rows.length > 0;
  }
  const { rows } = await exec.query(
    `INSERT INTO ${s}.account_ref AS t (account_id, member_id, name, version, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (account_id) DO UPDATE SET member_id = excluded.member_id, name = excluded.name, version = excluded.version, updated_at = now()
     WHERE t.version < excluded.version
     RETURNING account_id`,
    [data.accountId, data.memberId, data.name, data.version],
  );
  return rows.length > 0;
}

/** The read models' tables, for the consuming subgraph's migration. */
export function memberRefTablesDdl(schema: string): string {
  const s = assertSqlIdentifier(schema, 'schema');
  return `
      create table ${s}.member_ref (
        member_id uuid primary key,
        member_number varchar(8) not null,
        name text not null,
        head_office_postal_code text not null,
        head_office_address text not null,
        mailing_postal_code text,
        mailing_city text,
        mailing_street text,
        mailing_building text,
        addressee_kind text not null,
        addressee_department text,
        addressee_contact_name text,
        addressee_contact_kana text,
        phone text not null,
        fax text,
        version bigint not null,
        updated_at timestamptz not null default now()
      );
      create table ${s}.account_ref (
        account_id uuid primary key,
        member_id uuid not null,
        name text not null,
        version bigint not null,
        updated_at timestamptz not null default now()
      );
      create index account_ref_member_idx on ${s}.account_ref (member_id);`;
}
