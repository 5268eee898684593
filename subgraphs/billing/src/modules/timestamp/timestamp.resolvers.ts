import { idempotent } from '@portal/subgraph-kit';
import { NO_LINK } from '../document/document.service.ts';
import { InvoiceService } from '../invoice/invoice.service.ts';
import { itemLabel } from '../document/invoice-documents.ts';
import { TimestampService } from './timestamp.service.ts';
import { isSelectable } from './selection.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const timestampResolvers: Resolvers = {
  Query: {
    timestampSelection: (_, args, ctx) => new TimestampService(ctx).preview(args.invoiceId, args.selection),
    timestampReservation: (_, args, ctx) => new TimestampService(ctx).byId(args.id),
  },
  Mutation: {
    // Keyed: a retried reservation would take another print number (印刷No) for the same selection.
    reserveTimestamp: idempotent({ reservation: null }, ({ input }, ctx) => new TimestampService(ctx).reserve(input)),
    cancelTimestampReservation: idempotent({ reservation: null }, ({ input }, ctx) => new TimestampService(ctx).cancel(input.reservationId)),
    // Keyed: the stamped PDF raises the invoice's print count.
    downloadTimestampedInvoice: idempotent(NO_LINK, ({ input }, ctx) => new TimestampService(ctx).download(input.reservationId, input.part)),
    verifyTimestamp: (_, { input }, ctx) =>
      new TimestampService(ctx).verify(Buffer.from(input.documentBase64, 'base64'), Buffer.from(input.tokenBase64, 'base64')),
  },
  Invoice: {
    qualifiedInvoiceItems: (invoice, args, ctx) => new TimestampService(ctx).items(invoice, args.filter ?? null),
    timestampReservations: (invoice, _, ctx) => ctx.loaders.reservationsByInvoice.load(invoice.id),
  },
  QualifiedInvoiceItem: {
    label: (item) => itemLabel(item),
    selectable: (item) => isSelectable(item),
  },
  TimestampReservation: {
    requestedByName: (r, _, ctx) => ctx.loaders.accountNames.load(r.requestedByAccountId),
    cancelledByName: (r, _, ctx) => (r.cancelledByAccountId ? ctx.loaders.accountNames.load(r.cancelledByAccountId) : null),
    cancellable: (r, _, ctx) => r.status === 'RESERVED' && (r.requestedByAccountId === ctx.identity.accountId || ctx.identity.scopes.has('admin')),
    async items(r, _, ctx) {
      const invoice = await new InvoiceService(ctx).byId(r.invoiceId);
      if (!invoice) return [];
      // Cancelled reservations keep their items (no longer live): list them from the reservation itself.
      const mine = await ctx.loaders.reservationItems.load(r.id);
      const keys = new Set(mine.map((i) => `${i.line_id}|${i.category}`));
      return (await new TimestampService(ctx).items(invoice, null)).filter((i) => keys.has(`${i.lineId}|${i.category}`));
    },
  },
};
