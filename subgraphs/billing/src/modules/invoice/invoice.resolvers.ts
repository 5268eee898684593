import { GraphQLError } from 'graphql';
import { decodeLineCursor, encodeLineCursor } from './invoice.repository.ts';
import { InvoiceService } from './invoice.service.ts';
import { parseBillingMonth, type BillingMonth } from './rules/billing-month.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

const MAX_INVOICES = 100;
const MAX_LINES = 1000;

function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  const n = first ?? fallback;
  if (n < 1 || n > max) throw badInput(`first must be between 1 and ${max}`, 'first');
  return n;
}

const encodeMonthCursor = (month: string) => Buffer.from(month).toString('base64url');
function decodeMonthCursor(cursor: string): BillingMonth {
  const month = parseBillingMonth(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!month) throw badInput('after is not a valid cursor', 'after');
  return month;
}

export const invoiceResolvers: Resolvers = {
  Query: {
    async invoices(_, args, ctx) {
      const first = pageSize(args.first, 12, MAX_INVOICES);
      const { rows, hasNextPage, totalCount } = await new InvoiceService(ctx).page(first, args.after ? decodeMonthCursor(args.after) : null);
      const edges = rows.map((node) => ({ node, cursor: encodeMonthCursor(node.billingMonth) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    invoice: (_, args, ctx) => new InvoiceService(ctx).byId(args.id),
    currentInvoice: (_, _args, ctx) => new InvoiceService(ctx).current(),
  },
  Invoice: {
    async lines(invoice, args, ctx) {
      const first = pageSize(args.first, 100, MAX_LINES);
      const after = args.after ? decodeLineCursor(args.after) : null;
      if (args.after && !after) throw badInput('after is not a valid cursor', 'after');
      const { rows, hasNextPage, totalCount } = await new InvoiceService(ctx).lines(invoice.id, args.filter ?? null, first, after);
      const edges = rows.map((node) => ({ node, cursor: encodeLineCursor(node) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
  InvoiceLine: {
    // A stub: the gateway fetches the room's own fields from tenancy, batched there.
    room: (line) => ({ __typename: 'Room', id: line.roomId }),
  },
};
