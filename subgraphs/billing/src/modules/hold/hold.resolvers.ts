import { idempotent } from '@portal/subgraph-kit';
import { jstDate } from '@portal/platform';
import { HoldService, toDateString } from './hold.service.ts';
import { heldAmount } from './rules/held-amount.rule.ts';
import { confirmationDeadline, isBeforeClosing } from './rules/closing-day.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';
import type { IInvoice } from '../invoice/invoice.entity.ts';

/** The publication day and, for a late import, the day it actually appeared: what the closing day is computed from. */
const dates = (invoice: IInvoice) => [jstDate(toDateString(invoice.issueDate)), invoice.latePublishedOn ? jstDate(toDateString(invoice.latePublishedOn)) : null] as const;

export const holdResolvers: Resolvers = {
  Mutation: {
    saveInvoiceHolds: (_, args, ctx) => new HoldService(ctx).save(args.input),
    // Keyed: confirming mails the billing office; a retry would be refused as already confirmed.
    confirmInvoice: idempotent({ invoice: null }, (args, ctx) => new HoldService(ctx).confirm(args.input.invoiceId)),
  },
  Invoice: {
    heldAmount: async (invoice, _, ctx) => (await ctx.loaders.holdSummary.load(invoice.id)).heldAmount,
    heldLineCount: async (invoice, _, ctx) => (await ctx.loaders.holdSummary.load(invoice.id)).heldLineCount,
    changedTotalAmount: async (invoice, _, ctx) => invoice.totalAmount - (await ctx.loaders.holdSummary.load(invoice.id)).heldAmount,
    closingDate: (invoice) => confirmationDeadline(...dates(invoice)),
    confirmedByName: (invoice, _, ctx) => (invoice.confirmedByAccountId ? ctx.loaders.accountNames.load(invoice.confirmedByAccountId) : null),
    confirmable: (invoice, _, ctx) => invoice.status !== 'CONFIRMED' && isBeforeClosing(ctx.clock.now(), ...dates(invoice)),
  },
  InvoiceHold: {
    heldByName: (hold, _, ctx) => (hold.heldByAccountId ? ctx.loaders.accountNames.load(hold.heldByAccountId) : null),
  },
  InvoiceLine: {
    holds: (line, _, ctx) => ctx.loaders.lineHolds.load(line.id),
    changedTotal: async (line, _, ctx) => line.total - heldAmount(line, (await ctx.loaders.lineHolds.load(line.id)).map((h) => h.target)),
  },
};
