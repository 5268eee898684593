import { GraphQLError } from 'graphql';
import { idempotent } from '@portal/subgraph-kit';
import { NO_LINK } from '../document/document.service.ts';
import { RefundService } from './refund.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const refundResolvers: Resolvers = {
  Query: {
    refunds(_, args, ctx) {
      const first = args.first ?? 12;
      if (first < 1 || first > 100) throw new GraphQLError('first must be between 1 and 100', { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
      return new RefundService(ctx).list(first);
    },
    refund: (_, args, ctx) => new RefundService(ctx).byId(args.id),
    currentRefund: (_, _args, ctx) => new RefundService(ctx).current(),
    async refundAccounts(_, _args, ctx) {
      const all = await ctx.loaders.refundAccounts.load('all');
      return { bulk: all.find((a) => a.roomId === null) ?? null, perRoom: all.filter((a) => a.roomId !== null) };
    },
  },
  Mutation: {
    saveRefundAccount: (_, { input }, ctx) => new RefundService(ctx).save(input),
    deleteRefundAccount: (_, { input }, ctx) => new RefundService(ctx).remove(input.roomId ?? null),
    // Keyed: each print raises the refund's print count.
    printRefundStatement: idempotent(NO_LINK, ({ input }, ctx) => new RefundService(ctx).statement(input.refundId)),
  },
  Refund: {
    destination: async (_refund, _, ctx) => (await ctx.loaders.refundAccounts.load('all')).find((a) => a.roomId === null) ?? null,
    lines: (refund, _, ctx) => ctx.loaders.refundLines.load(refund.id),
  },
  RefundLine: {
    room: (line) => ({ __typename: 'Room', id: line.roomId }),
  },
};
