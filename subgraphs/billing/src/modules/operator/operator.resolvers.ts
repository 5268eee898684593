import { GraphQLError } from 'graphql';
import { idempotent } from '@portal/subgraph-kit';
import { OperatorBillingService } from './operator.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const operatorResolvers: Resolvers = {
  Query: {
    operatorInvoices(_, args, ctx) {
      const first = args.first ?? 100;
      if (first < 1 || first > 500) throw new GraphQLError('first must be between 1 and 500', { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
      return new OperatorBillingService(ctx).list(args.filter ?? {}, ctx.em, first);
    },
  },
  Mutation: {
    // Keyed: a retried import would be refused as a duplicate of the first, which the operator never saw.
    importInvoices: idempotent({ invoices: [], lineCount: 0 }, (args, ctx) => new OperatorBillingService(ctx).importInvoices(args.input.csv)),
  },
  OperatorInvoice: {
    changedTotalAmount: (row) => row.totalAmount - row.heldAmount,
  },
};
