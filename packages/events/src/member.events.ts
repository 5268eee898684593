/**
 * The member and account events tenancy publishes; billing keeps `member_ref` and `account_ref`
 * from them (billing modules/member-ref applies them). `v` is the payload's contract version and
 * was always written; `version` is tenancy's outbox sequence (the writer takes the member's or
 * account's row lock before drawing it, so for one member or account it grows in commit order and
 * a read model never applies an older or equal one).
 */
import { z } from 'zod';
import { defineEvent, outboxSequence } from './contract.ts';

const text = z.string().nullable();

/**
 * `member.updated` v1: the member's name and the editable member information (法人会員情報変更) as
 * they are now, after any change. Billing prints it on refund statements (M:1822, M:1855).
 */
export const memberUpdated = defineEvent({
  name: 'member.updated',
  version: 1,
  publisher: 'tenancy',
  schema: z.object({
    v: z.literal(1),
    version: outboxSequence,
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
  }),
});

/**
 * `account.upserted` v1: an account was created or renamed. Only what other subgraphs show: the
 * display name (氏名) of the person behind an account id. A deleted account sends nothing: the
 * name of whoever did something stays known.
 */
export const accountUpserted = defineEvent({
  name: 'account.upserted',
  version: 1,
  publisher: 'tenancy',
  schema: z.object({
    v: z.literal(1),
    version: outboxSequence,
    accountId: z.uuid(),
    memberId: z.uuid(),
    name: z.string().min(1),
  }),
});

/** Event names on the bus. */
export const MEMBER_EVENTS = { updated: memberUpdated.name } as const;
export const ACCOUNT_EVENTS = { upserted: accountUpserted.name } as const;

export const memberUpdatedSchema = memberUpdated.schema;
export const accountUpsertedSchema = accountUpserted.schema;
export type MemberUpdated = z.infer<typeof memberUpdatedSchema>;
export type AccountUpserted = z.infer<typeof accountUpsertedSchema>;

export type MemberEvent = { event: typeof MEMBER_EVENTS.updated; data: MemberUpdated } | { event: typeof ACCOUNT_EVENTS.upserted; data: AccountUpserted };

/** Parses a delivered member or account event; throws (the delivery fails for good) on an unknown name, contract version or payload. */
export function parseMemberEvent(event: string, data: unknown): MemberEvent {
  if (event === MEMBER_EVENTS.updated) return { event, data: memberUpdatedSchema.parse(data) };
  if (event === ACCOUNT_EVENTS.upserted) return { event, data: accountUpsertedSchema.parse(data) };
  throw new Error(`Not a member or account event: ${event}`);
}
