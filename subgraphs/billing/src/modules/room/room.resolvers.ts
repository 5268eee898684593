import { GraphQLError } from 'graphql';
import { InvoiceService } from '../invoice/invoice.service.ts';
import { isUuid } from '../invoice/invoice.repository.ts';
import { parseBillingMonth } from '../invoice/rules/billing-month.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const roomResolvers: Resolvers = {
  Room: {
    // No SQL here: a room is only an id to billing; another member's room simply has no lines.
    __resolveReference: (ref) => ({ id: ref.id }),
    invoiceLines(room, args, ctx) {
      const month = args.billingMonth ? parseBillingMonth(args.billingMonth) : null;
      if (args.billingMonth && !month) throw new GraphQLError('billingMonth must be YYYY-MM', { extensions: { code: 'BAD_USER_INPUT', field: 'billingMonth' } });
      return isUuid(room.id) ? new InvoiceService(ctx).roomLines(room.id, month) : [];
    },
  },
};
