import { idempotent, type Keyed, type SubgraphContext } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { NO_LINK } from '../document/document.service.ts';
import type { IInvoice } from '../invoice/invoice.entity.ts';
import type { InvoiceLineFilter } from '../invoice/invoice.repository.ts';
import { InvoiceService } from '../invoice/invoice.service.ts';
import { itemLabel } from '../document/invoice-documents.ts';
import type { ITimestampReservation } from './timestamp.entity.ts';
import { TimestampService, type ListedItem, type SelectionInput } from './timestamp.service.ts';
import { isSelectable } from './selection.rule.ts';

type Ctx = SubgraphContext<BillingLoaders>;

export const timestampResolvers = {
  Query: {
    timestampSelection: (_: unknown, args: { invoiceId: string; selection: SelectionInput }, ctx: Ctx) => new TimestampService(ctx).preview(args.invoiceId, args.selection),
    timestampReservation: (_: unknown, args: { id: string }, ctx: Ctx) => new TimestampService(ctx).byId(args.id),
  },
  Mutation: {
    // Keyed: a retried reservation would take another print number (印刷No) for the same selection.
    reserveTimestamp: idempotent({ reservation: null }, ({ input }: { input: { invoiceId: string; selection: SelectionInput; expectedItemCount: number; expectedTotalAmount: number } & Keyed }, ctx: Ctx) => new TimestampService(ctx).reserve(input)),
    cancelTimestampReservation: idempotent({ reservation: null }, ({ input }: { input: { reservationId: string } & Keyed }, ctx: Ctx) => new TimestampService(ctx).cancel(input.reservationId)),
    // Keyed: the stamped PDF raises the invoice's print count.
    downloadTimestampedInvoice: idempotent(NO_LINK, ({ input }: { input: { reservationId: string; part: 'DOCUMENT' | 'TOKEN' } & Keyed }, ctx: Ctx) => new TimestampService(ctx).download(input.reservationId, input.part)),
    verifyTimestamp: (_: unknown, { input }: { input: { documentBase64: string; tokenBase64: string } }, ctx: Ctx) =>
      new TimestampService(ctx).verify(Buffer.from(input.documentBase64, 'base64'), Buffer.from(input.tokenBase64, 'base64')),
  },
  Invoice: {
    qualifiedInvoiceItems: (invoice: IInvoice, args: { filter?: InvoiceLineFilter | null }, ctx: Ctx) => new TimestampService(ctx).items(invoice, args.filter ?? null),
    timestampReservations: (invoice: IInvoice, _: unknown, ctx: Ctx) => ctx.loaders.reservationsByInvoice.load(invoice.id),
  },
  QualifiedInvoiceItem: {
    label: (item: ListedItem) => itemLabel(item),
    selectable: (item: ListedItem) => isSelectable(item),
  },
  TimestampReservation: {
    requestedByName: (r: ITimestampReservation, _: unknown, ctx: Ctx) => ctx.loaders.accountNames.load(r.requestedByAccountId),
    cancelledByName: (r: ITimestampReservation, _: unknown, ctx: Ctx) => (r.cancelledByAccountId ? ctx.loaders.accountNames.load(r.cancelledByAccountId) : null),
    cancellable: (r: ITimestampReservation, _: unknown, ctx: Ctx) => r.status === 'RESERVED' && (r.requestedByAccountId === ctx.identity.accountId || ctx.identity.scopes.has('admin')),
    async items(r: ITimestampReservation, _: unknown, ctx: Ctx) {
      const invoice = await new InvoiceService(ctx).byId(r.invoiceId);
      if (!invoice) return [];
      // Cancelled reservations keep their items (no longer live): list them from the reservation itself.
      const mine = await ctx.loaders.reservationItems.load(r.id);
      const keys = new Set(mine.map((i) => `${i.line_id}|${i.category}`));
      return (await new TimestampService(ctx).items(invoice, null)).filter((i) => keys.has(`${i.lineId}|${i.category}`));
    },
  },
};
