import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, pageSize } from '../paging.ts';
import { todayFor } from '../today.ts';
import { ApproverRepository } from './approver.repository.ts';
import { isPowerOfAttorneyExpiredOn } from './rules/power-of-attorney.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const approverResolvers: Resolvers = {
  Query: {
    async approvers(_, args, ctx) {
      const first = pageSize(args.first);
      const cursor = decodeCursor(args.after, 2);
      const createdAt = cursor ? new Date(cursor[0]!) : null;
      if (createdAt && Number.isNaN(createdAt.getTime())) throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      const repo = new ApproverRepository(ctx.em);
      const [{ rows, hasNextPage }, totalCount] = await Promise.all([repo.page(first, createdAt ? { createdAt, id: cursor![1]! } : null), repo.count()]);
      const edges = rows.map((node) => ({ node, cursor: encodeCursor([node.createdAt.toISOString(), node.id]) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
  Approver: {
    powerOfAttorneyValidFrom: (a) => a.poaValidFrom,
    powerOfAttorneyValidTo: (a) => a.poaValidTo,
    powerOfAttorneyExpired: (a, _, ctx) => isPowerOfAttorneyExpiredOn(a.poaValidTo, todayFor(ctx)),
  },
};
