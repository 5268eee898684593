import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/** An account (担当者) of a member, with its per-area permission levels. */
export const Account = defineEntity({
  name: 'Account',
  tableName: 'account',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    loginId: p.string(),
    name: p.string(),
    email: p.string(),
    passwordHash: p.string().hidden().lazy(),
    isAdmin: p.boolean(),
    billingLevel: p.string(),
    cancellationLevel: p.string(),
    residentsLevel: p.string(),
    smartlockLevel: p.string(),
    fireInsuranceLevel: p.string(),
    cancellationNotify: p.boolean(),
    passwordChangedAt: p.datetime(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IAccount = InferEntity<typeof Account>;
