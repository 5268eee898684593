import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/**
 * Billing's copy of a member's information (`billing.member_ref`), written only by the
 * `member.updated` consumer: what the refund statement prints as its addressee (M:1822, M:1855).
 */
export const MemberRef = defineEntity({
  name: 'MemberRef',
  tableName: 'member_ref',
  properties: (p) => ({
    memberId: p.uuid().primary(),
    memberNumber: p.string(),
    name: p.string(),
    headOfficePostalCode: p.string(),
    headOfficeAddress: p.string(),
    mailingPostalCode: p.string().nullable(),
    mailingCity: p.string().nullable(),
    mailingStreet: p.string().nullable(),
    mailingBuilding: p.string().nullable(),
    addresseeKind: p.enum(['CONTACT_PERSON', 'ORGANISATION'] as const),
    addresseeDepartment: p.string().nullable(),
    addresseeContactName: p.string().nullable(),
    addresseeContactKana: p.string().nullable(),
    phone: p.string(),
    fax: p.string().nullable(),
    version: p.bigint('number'),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IMemberRef = InferEntity<typeof MemberRef>;

/** Billing's copy of an account's display name (`billing.account_ref`), from `account.upserted`. */
export const AccountRef = defineEntity({
  name: 'AccountRef',
  tableName: 'account_ref',
  properties: (p) => ({
    accountId: p.uuid().primary(),
    memberId: p.uuid(),
    name: p.string(),
    version: p.bigint('number'),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IAccountRef = InferEntity<typeof AccountRef>;
