import { idempotent, type Keyed, type SubgraphContext } from '@portal/subgraph-kit';
import { jstDate } from '@portal/platform';
import type { BillingLoaders } from '../../loaders.ts';
import type { IInvoice, IInvoiceLine } from '../invoice/invoice.entity.ts';
import { HoldService, toDateString, type SaveHoldsInput } from './hold.service.ts';
import { heldAmount } from './rules/held-amount.rule.ts';
import type { IInvoiceHold } from './hold.entity.ts';
import { confirmationDeadline, isBeforeClosing } from './rules/closing-day.rule.ts';

type Ctx = SubgraphContext<BillingLoaders>;

/** The publication day and, for a late import, the day it actually appeared: what the closing day is computed from. */
const dates = (invoice: IInvoice) => [jstDate(toDateString(invoice.issueDate)), invoice.latePublishedOn ? jstDate(toDateString(invoice.latePublishedOn)) : null] as const;

export const holdResolvers = {
  Mutation: {
    saveInvoiceHolds: (_: unknown, args: { input: SaveHoldsInput }, ctx: Ctx) => new HoldService(ctx).save(args.input),
    // Keyed: confirming mails the billing office; a retry would be refused as already confirmed.
    confirmInvoice: idempotent({ invoice: null }, (args: { input: { invoiceId: string } & Keyed }, ctx: Ctx) => new HoldService(ctx).confirm(args.input.invoiceId)),
  },
  Invoice: {
    heldAmount: async (invoice: IInvoice, _: unknown, ctx: Ctx) => (await ctx.loaders.holdSummary.load(invoice.id)).heldAmount,
    heldLineCount: async (invoice: IInvoice, _: unknown, ctx: Ctx) => (await ctx.loaders.holdSummary.load(invoice.id)).heldLineCount,
    changedTotalAmount: async (invoice: IInvoice, _: unknown, ctx: Ctx) => invoice.totalAmount - (await ctx.loaders.holdSummary.load(invoice.id)).heldAmount,
    closingDate: (invoice: IInvoice) => confirmationDeadline(...dates(invoice)),
    confirmedByName: (invoice: IInvoice, _: unknown, ctx: Ctx) => (invoice.confirmedByAccountId ? ctx.loaders.accountNames.load(invoice.confirmedByAccountId) : null),
    confirmable: (invoice: IInvoice, _: unknown, ctx: Ctx) => invoice.status !== 'CONFIRMED' && isBeforeClosing(ctx.clock.now(), ...dates(invoice)),
  },
  InvoiceHold: {
    heldByName: (hold: IInvoiceHold, _: unknown, ctx: Ctx) => (hold.heldByAccountId ? ctx.loaders.accountNames.load(hold.heldByAccountId) : null),
  },
  InvoiceLine: {
    holds: (line: IInvoiceLine, _: unknown, ctx: Ctx) => ctx.loaders.lineHolds.load(line.id),
    changedTotal: async (line: IInvoiceLine, _: unknown, ctx: Ctx) => line.total - heldAmount(line, (await ctx.loaders.lineHolds.load(line.id)).map((h) => h.target)),
  },
};
