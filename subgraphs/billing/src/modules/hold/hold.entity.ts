import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';
import { HOLD_TARGETS } from './rules/held-amount.rule.ts';

/** One hold (保留) on a line: a category of it or the whole line, with its reason (変更・保留理由). */
export const InvoiceHold = defineEntity({
  name: 'InvoiceHold',
  tableName: 'invoice_hold',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    invoiceId: p.uuid(),
    lineId: p.uuid(),
    target: p.enum(HOLD_TARGETS),
    reason: p.string(),
    heldAt: p.datetime(),
    heldByAccountId: p.uuid().nullable(),
  }),
  filters: memberFilter,
});
export type IInvoiceHold = InferEntity<typeof InvoiceHold>;
