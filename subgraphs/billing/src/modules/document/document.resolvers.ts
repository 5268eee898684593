import { idempotent, type Keyed, type SubgraphContext } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import type { InvoiceLineFilter } from '../invoice/invoice.repository.ts';
import { DocumentService, NO_LINK } from './document.service.ts';

type Ctx = SubgraphContext<BillingLoaders>;

export const documentResolvers = {
  Mutation: {
    // Keyed: each print raises the invoice's print count (印刷回数).
    printInvoiceStatement: idempotent(NO_LINK, ({ input }: { input: { invoiceId: string; lineIds?: string[] | null } & Keyed }, ctx: Ctx) => new DocumentService(ctx).statement(input.invoiceId, input.lineIds ?? null)),
    printQualifiedInvoice: idempotent(NO_LINK, ({ input }: { input: { invoiceId: string } & Keyed }, ctx: Ctx) => new DocumentService(ctx).qualifiedInvoice(input.invoiceId)),
    exportInvoiceLines: (_: unknown, { input }: { input: { invoiceId: string; encoding: 'UTF8_BOM' | 'CP932'; filter?: InvoiceLineFilter | null } }, ctx: Ctx) =>
      new DocumentService(ctx).csv(input.invoiceId, input.encoding, input.filter ?? null),
  },
};
