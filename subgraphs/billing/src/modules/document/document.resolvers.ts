import { idempotent } from '@portal/subgraph-kit';
import { DocumentService, NO_LINK } from './document.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const documentResolvers: Resolvers = {
  Mutation: {
    // Keyed: each print raises the invoice's print count (印刷回数).
    printInvoiceStatement: idempotent(NO_LINK, ({ input }, ctx) => new DocumentService(ctx).statement(input.invoiceId, input.lineIds ?? null)),
    printQualifiedInvoice: idempotent(NO_LINK, ({ input }, ctx) => new DocumentService(ctx).qualifiedInvoice(input.invoiceId)),
    exportInvoiceLines: (_, { input }, ctx) =>
      new DocumentService(ctx).csv(input.invoiceId, input.encoding, input.filter ?? null),
  },
};
