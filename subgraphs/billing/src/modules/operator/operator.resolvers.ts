import { GraphQLError } from 'graphql';
import { idempotent, type Keyed, type SubgraphContext } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { OperatorBillingService, type OperatorInvoiceFilter, type OperatorInvoiceRow } from './operator.service.ts';

type Ctx = SubgraphContext<BillingLoaders>;

export const operatorResolvers = {
  Query: {
    operatorInvoices(_: unknown, args: { filter?: OperatorInvoiceFilter | null; first?: number | null }, ctx: Ctx) {
      const first = args.first ?? 100;
      if (first < 1 || first > 500) throw new GraphQLError('first must be between 1 and 500', { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
      return new OperatorBillingService(ctx).list(args.filter ?? {}, ctx.em, first);
    },
  },
  Mutation: {
    // Keyed: a retried import would be refused as a duplicate of the first, which the operator never saw.
    importInvoices: idempotent({ invoices: [], lineCount: 0 }, (args: { input: { csv: string } & Keyed }, ctx: Ctx) => new OperatorBillingService(ctx).importInvoices(args.input.csv)),
  },
  OperatorInvoice: {
    changedTotalAmount: (row: OperatorInvoiceRow) => row.totalAmount - row.heldAmount,
  },
};
