import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A back-office operator of the leasing company. Not member-private: no member filter. */
export const OperatorAccount = defineEntity({
  name: 'OperatorAccount',
  tableName: 'operator_account',
  properties: (p) => ({
    id: p.uuid().primary(),
    loginId: p.string(),
    name: p.string(),
    email: p.string(),
    passwordHash: p.string().hidden().lazy(),
    createdAt: p.datetime(),
  }),
});
export type IOperatorAccount = InferEntity<typeof OperatorAccount>;
