import { GraphQLError } from 'graphql';
import { RecipientRepository, decodeRecipientCursor, encodeRecipientCursor } from './recipient.repository.ts';
import { verificationExpiresAt, verificationStatus } from './verification-status.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

const MAX_PAGE = 200;

export const recipientResolvers: Resolvers = {
  Query: {
    async smartlockRecipients(_, args, ctx) {
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
    verificationStatus: (r, _, ctx) =>
      verificationStatus({ status: r.verificationStatus, sentAt: r.verificationSentAt ?? null, failedAttempts: r.failedAttempts }, ctx.clock.now()),
    verificationExpiresAt: (r) => (r.verificationSentAt ? verificationExpiresAt(r.verificationSentAt) : null),
    async rooms(r, _, ctx) {
      return (await ctx.loaders.roomIdsByRecipient.load(r.id)).map((id) => ({ __typename: 'Room', id }));
    },
  },
};
