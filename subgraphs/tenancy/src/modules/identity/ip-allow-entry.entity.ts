import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/** One allowed address or CIDR range of a member's IP access restriction (アクセス制限). */
export const IpAllowEntry = defineEntity({
  name: 'IpAllowEntry',
  tableName: 'ip_allow_entry',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    cidr: p.string(),
    note: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IIpAllowEntry = InferEntity<typeof IpAllowEntry>;
