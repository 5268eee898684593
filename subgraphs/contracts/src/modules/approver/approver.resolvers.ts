import { GraphQLError } from 'graphql';
import type { SubgraphContext } from '@portal/subgraph-kit';
import type { ContractsLoaders } from '../../loaders.ts';
import { decodeCursor, encodeCursor, pageSize } from '../paging.ts';
import { todayFor } from '../today.ts';
import type { IApprover } from './approver.entity.ts';
import { ApproverRepository } from './approver.repository.ts';
import { isPowerOfAttorneyExpiredOn } from './rules/power-of-attorney.rule.ts';

type Ctx = SubgraphContext<ContractsLoaders>;

export const approverResolvers = {
  Query: {
    async approvers(_: unknown, args: { first?: number | null; after?: string | null }, ctx: Ctx) {
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
    powerOfAttorneyValidFrom: (a: IApprover) => a.poaValidFrom,
    powerOfAttorneyValidTo: (a: IApprover) => a.poaValidTo,
    powerOfAttorneyExpired: (a: IApprover, _: unknown, ctx: Ctx) => isPowerOfAttorneyExpiredOn(a.poaValidTo, todayFor(ctx)),
  },
};
