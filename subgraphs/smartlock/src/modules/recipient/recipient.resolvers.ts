import { GraphQLError } from 'graphql';
import type { SubgraphContext } from '@portal/subgraph-kit';
import type { SmartlockLoaders } from '../../loaders.ts';
import type { ISmartlockRecipient } from './recipient.entity.ts';
import { RecipientRepository, decodeRecipientCursor, encodeRecipientCursor, type RecipientFilter } from './recipient.repository.ts';
import { verificationExpiresAt, verificationStatus } from './verification-status.rule.ts';

type Ctx = SubgraphContext<SmartlockLoaders>;
const MAX_PAGE = 200;

export const recipientResolvers = {
  Query: {
    async smartlockRecipients(_: unknown, args: { filter?: RecipientFilter | null; first?: number | null; after?: string | null }, ctx: Ctx) {
      const first = args.first ?? 50;
      if (first < 1 || first > MAX_PAGE) throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
      const after = args.after ? decodeRecipientCursor(args.after) : null;
      if (args.after && !after) throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      const now = ctx.clock.now();
      const repo = new RecipientRepository(ctx.em);
      const [{ rows, hasNextPage }, totalCount] = await Promise.all([repo.page(args.filter, now, first, after), repo.count(args.filter, now)]);
      const edges = rows.map((node) => ({ node, cursor: encodeRecipientCursor({ recipientCode: node.recipientCode, id: node.id }) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
  SmartlockRecipient: {
    verificationStatus: (r: ISmartlockRecipient, _: unknown, ctx: Ctx) =>
      verificationStatus({ status: r.verificationStatus, sentAt: r.verificationSentAt ?? null, failedAttempts: r.failedAttempts }, ctx.clock.now()),
    verificationExpiresAt: (r: ISmartlockRecipient) => (r.verificationSentAt ? verificationExpiresAt(r.verificationSentAt) : null),
    async rooms(r: ISmartlockRecipient, _: unknown, ctx: Ctx) {
      return (await ctx.loaders.roomIdsByRecipient.load(r.id)).map((id) => ({ __typename: 'Room', id }));
    },
  },
};
