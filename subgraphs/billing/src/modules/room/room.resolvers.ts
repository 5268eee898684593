import { GraphQLError } from 'graphql';
import type { SubgraphContext } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { InvoiceService } from '../invoice/invoice.service.ts';
import { isUuid } from '../invoice/invoice.repository.ts';
import { parseBillingMonth } from '../invoice/rules/billing-month.rule.ts';

type Ctx = SubgraphContext<BillingLoaders>;

export const roomResolvers = {
  Room: {
    // No SQL here: a room is only an id to billing; another member's room simply has no lines.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    invoiceLines(room: { id: string }, args: { billingMonth?: string | null }, ctx: Ctx) {
      const month = args.billingMonth ? parseBillingMonth(args.billingMonth) : null;
      if (args.billingMonth && !month) throw new GraphQLError('billingMonth must be YYYY-MM', { extensions: { code: 'BAD_USER_INPUT', field: 'billingMonth' } });
      return isUuid(room.id) ? new InvoiceService(ctx).roomLines(room.id, month) : [];
    },
  },
};
