import { GraphQLError } from 'graphql';
import { idempotent, type Keyed, type SubgraphContext } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { NO_LINK } from '../document/document.service.ts';
import type { IRefund, IRefundLine } from './refund.entity.ts';
import { RefundService, type SaveRefundAccountInput } from './refund.service.ts';

type Ctx = SubgraphContext<BillingLoaders>;

export const refundResolvers = {
  Query: {
    refunds(_: unknown, args: { first?: number | null }, ctx: Ctx) {
      const first = args.first ?? 12;
      if (first < 1 || first > 100) throw new GraphQLError('first must be between 1 and 100', { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
      return new RefundService(ctx).list(first);
    },
    refund: (_: unknown, args: { id: string }, ctx: Ctx) => new RefundService(ctx).byId(args.id),
    currentRefund: (_: unknown, _args: unknown, ctx: Ctx) => new RefundService(ctx).current(),
    async refundAccounts(_: unknown, _args: unknown, ctx: Ctx) {
      const all = await ctx.loaders.refundAccounts.load('all');
      return { bulk: all.find((a) => a.roomId === null) ?? null, perRoom: all.filter((a) => a.roomId !== null) };
    },
  },
  Mutation: {
    saveRefundAccount: (_: unknown, { input }: { input: SaveRefundAccountInput }, ctx: Ctx) => new RefundService(ctx).save(input),
    deleteRefundAccount: (_: unknown, { input }: { input: { roomId?: string | null } }, ctx: Ctx) => new RefundService(ctx).remove(input.roomId ?? null),
    // Keyed: each print raises the refund's print count.
    printRefundStatement: idempotent(NO_LINK, ({ input }: { input: { refundId: string } & Keyed }, ctx: Ctx) => new RefundService(ctx).statement(input.refundId)),
  },
  Refund: {
    destination: async (_refund: IRefund, _: unknown, ctx: Ctx) => (await ctx.loaders.refundAccounts.load('all')).find((a) => a.roomId === null) ?? null,
    lines: (refund: IRefund, _: unknown, ctx: Ctx) => ctx.loaders.refundLines.load(refund.id),
  },
  RefundLine: {
    room: (line: IRefundLine) => ({ __typename: 'Room', id: line.roomId }),
  },
};
