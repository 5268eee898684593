/**
 * The member and account events tenancy publishes, and the read models billing keeps from them
 * (`<schema>.member_ref`, `<schema>.account_ref`). Same contract as the room events
 * (room-events.ts): tenancy's outbox writer produces these payloads, consumers parse them with these
 * zod schemas and apply them with these idempotent upserts.
 *
 * `v` is the payload's contract version (1): a change to the shape gets a new number, and a
 * consumer refuses one it does not know rather than guessing. `version` is tenancy's outbox
 * sequence; the writer takes the member's (or account's) row lock before drawing it, so for one
 * member (account) it grows in commit order, and a read model row never applies an older or equal
 * one: redeliveries and out-of-order deliveries change nothing.
 */
import { z } from 'zod';
import { assertSqlIdentifier, type SqlExecutor } from './sql.ts';

/** Event names on the bus. */
export const MEMBER_EVENTS = { updated: 'member.updated' } as const;
export const ACCOUNT_EVENTS = { upserted: 'account.upserted' } as const;

const text = z.string().nullable();

/**
 * `member.updated` v1: the member's name and the editable member information (法人会員情報変更) as
 * they are now, after any change. Billing prints it on refund statements (M:1822, M:1855).
 */
export const memberUpdatedSchema = z.object({
  v: z.literal(1),
  version: z.coerce.number().int().positive(),
  memberId: z.uuid(),
  memberNumber: z.string().regex(/^\d{8}$/),
  name: z.string().min(1),
  headOfficePostalCode: z.string(),
  headOfficeAddress: z.string(),
  mailingPostalCode: text,
  mailingCity: text,
  mailingStreet: text,
  mailingBuilding: text,
  addresseeKind: z.enum(['CONTACT_PERSON', 'ORGANISATION']),
  addresseeDepartment: text,
  addresseeContactName: text,
  addresseeContactKana: text,
  phone: z.string(),
  fax: text,
});
export type MemberUpdated = z.infer<typeof memberUpdatedSchema>;

/**
 * `account.upserted` v1: an account was created or renamed. Only what other subgraphs show: the
 * display name (氏名) of the person behind an account id. A deleted account sends nothing: the
 * name of whoever did something stays known.
 */
export const accountUpsertedSchema = z.object({
  v: z.literal(1),
  version: z.coerce.number().int().positive(),
  accountId: z.uuid(),
  memberId: z.uuid(),
  name: z.string().min(1),
});
export type AccountUpserted = z.infer<typeof accountUpsertedSchema>;

export type MemberEvent = { event: typeof MEMBER_EVENTS.updated; data: MemberUpdated } | { event: typeof ACCOUNT_EVENTS.upserted; data: AccountUpserted };

/** Parses a delivered member or account event; throws (the delivery fails for good) on an unknown name, contract version or payload. */
export function parseMemberEvent(event: string, data: unknown): MemberEvent {
  if (event === MEMBER_EVENTS.updated) return { event, data: memberUpdatedSchema.parse(data) };
  if (event === ACCOUNT_EVENTS.upserted) return { event, data: accountUpsertedSchema.parse(data) };
  throw new Error(`Not a member or account event: ${event}`);
}

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
