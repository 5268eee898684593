import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/** A month's refund statement (返金明細): exit settlements refunded on the refund date. */
export const Refund = defineEntity({
  name: 'Refund',
  tableName: 'refund',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    refundMonth: p.string().columnType('char(7)'),
    refundDate: p.date(),
    publishDate: p.date(),
    amount: p.integer(),
    printCount: p.integer(),
    recipientName: p.string().nullable(),
    createdAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IRefund = InferEntity<typeof Refund>;

export const REFUND_METHODS = ['INDIVIDUAL', 'BULK'] as const;
export const REFUND_LINE_STATUSES = ['SCHEDULED', 'PAID', 'NO_ACCOUNT'] as const;

/** One room's refund on a statement. */
export const RefundLine = defineEntity({
  name: 'RefundLine',
  tableName: 'refund_line',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    refundId: p.uuid(),
    roomId: p.uuid(),
    apNo: p.string(),
    propertyName: p.string(),
    roomNumber: p.string(),
    memberNumber: p.string(),
    amount: p.integer(),
    method: p.enum(REFUND_METHODS),
    status: p.enum(REFUND_LINE_STATUSES),
  }),
  filters: memberFilter,
});
export type IRefundLine = InferEntity<typeof RefundLine>;

export const ACCOUNT_TYPES = ['ORDINARY', 'CURRENT'] as const;

/**
 * A refund account (返金口座): the member's bulk account (roomId null) or a room's own. The account
 * number is hidden and lazy: never serialised, never loaded unless asked for by name, so a list or a
 * log line cannot carry it; clients see it masked.
 */
export const RefundAccount = defineEntity({
  name: 'RefundAccount',
  tableName: 'refund_account',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    roomId: p.uuid().nullable(),
    bankCode: p.string().columnType('char(4)'),
    bankName: p.string(),
    branchCode: p.string().columnType('char(3)'),
    branchName: p.string(),
    accountType: p.enum(ACCOUNT_TYPES),
    accountNumber: p.string().columnType('char(7)').hidden().lazy(),
    holderKana: p.string(),
    holderName: p.string(),
    updatedAt: p.datetime(),
    updatedByAccountId: p.uuid().nullable(),
  }),
  filters: memberFilter,
});
export type IRefundAccount = InferEntity<typeof RefundAccount>;
