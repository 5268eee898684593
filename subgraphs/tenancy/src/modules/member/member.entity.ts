import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilterOn } from '@portal/subgraph-kit';
import { ADDRESSEE_KINDS } from './member-info.rule.ts';

/** A corporate member (法人会員). The member's own row is scoped by its id. */
export const Member = defineEntity({
  name: 'Member',
  tableName: 'member',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberNumber: p.string(),
    name: p.string(),
    headOfficePostalCode: p.string(),
    headOfficeAddress: p.string(),
    mailingPostalCode: p.string().nullable(),
    mailingCity: p.string().nullable(),
    mailingStreet: p.string().nullable(),
    mailingBuilding: p.string().nullable(),
    addresseeDepartment: p.string().nullable(),
    addresseeContactName: p.string().nullable(),
    addresseeContactKana: p.string().nullable(),
    /** 宛先2: a contact person (様) or a company/organisation name (御中). */
    addresseeKind: p.enum(ADDRESSEE_KINDS),
    phone: p.string(),
    fax: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilterOn('id'),
});
export type IMember = InferEntity<typeof Member>;
