import type { SubgraphContext } from '@portal/subgraph-kit';
import type { ContractsLoaders } from '../../loaders.ts';
import { decodeCursor, encodeCursor, isUuid, pageSize } from '../paging.ts';
import { todayFor } from '../today.ts';
import { FireInsuranceRepository } from './fire-insurance.repository.ts';
import { policyStatusOn } from './rules/policy-status.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

type Ctx = SubgraphContext<ContractsLoaders>;
type RoomRef = { id: string };

const roomPolicy = (room: RoomRef, ctx: Ctx) =>
  isUuid(room.id) ? ctx.loaders.fireInsuranceByRoom.load({ roomId: room.id, today: todayFor(ctx) }) : Promise.resolve(null);

export const fireInsuranceResolvers: Resolvers = {
  Query: {
    async fireInsurancePolicies(_, args, ctx) {
      const first = pageSize(args.first);
      const cursor = decodeCursor(args.after, 2);
      const today = todayFor(ctx);
      const repo = new FireInsuranceRepository(ctx.em);
      const after = cursor ? { startDate: cursor[0]!, id: cursor[1]! } : null;
      const [{ rows, hasNextPage }, totalCount] = await Promise.all([repo.page(args.filter, today, first, after), repo.count(args.filter, today)]);
      const edges = rows.map((node) => ({ node, cursor: encodeCursor([node.startDate, node.id]) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
  Room: {
    // The stub carries only the id: the gateway gets every other room field from tenancy.
    __resolveReference: (ref) => ({ id: ref.id }),
    fireInsurance: (room, _, ctx) => roomPolicy(room, ctx),
    hasFireInsurance: async (room, _, ctx) => (await roomPolicy(room, ctx)) !== null,
  },
  FireInsurancePolicy: {
    room: (p) => (p.roomId ? { __typename: 'Room', id: p.roomId } : null),
    status: (p, _, ctx) => policyStatusOn(p, todayFor(ctx)),
    hasCertificate: (p) => p.certificateFileKey !== null && p.certificateFileKey !== undefined,
  },
};
