import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

export const APPROVER_STATUSES = ['INPUT', 'AWAITING_APPROVER', 'POA_UPLOAD', 'OPERATOR_REVIEW', 'COMPLETED', 'CORRECTION_REQUESTED'] as const;
export type ApproverStatus = (typeof APPROVER_STATUSES)[number];

/** A person with signing authority for the member's e-contracts (決裁者), and where their registration stands. */
export const Approver = defineEntity({
  name: 'Approver',
  tableName: 'approver',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    name: p.text(),
    kana: p.text(),
    title: p.text(),
    department: p.text().nullable(),
    phone: p.string().length(15),
    email: p.text(),
    poaValidFrom: p.date(),
    poaValidTo: p.date(),
    memo: p.string().length(200).nullable(),
    status: p.enum(APPROVER_STATUSES),
    registeredByAccountId: p.uuid().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IApprover = InferEntity<typeof Approver>;
