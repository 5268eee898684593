import type { SubgraphContext } from '@portal/subgraph-kit';
import type { ContractsLoaders } from '../../loaders.ts';
import { decodeCursor, encodeCursor, isUuid, pageSize } from '../paging.ts';
import { todayFor } from '../today.ts';
import type { IFireInsurancePolicy } from './fire-insurance-policy.entity.ts';
import { FireInsuranceRepository, type PolicyFilter } from './fire-insurance.repository.ts';
import { policyStatusOn } from './rules/policy-status.rule.ts';

type Ctx = SubgraphContext<ContractsLoaders>;
type RoomRef = { id: string };

const roomPolicy = (room: RoomRef, ctx: Ctx) =>
  isUuid(room.id) ? ctx.loaders.fireInsuranceByRoom.load({ roomId: room.id, today: todayFor(ctx) }) : Promise.resolve(null);

export const fireInsuranceResolvers = {
  Query: {
    async fireInsurancePolicies(_: unknown, args: { filter?: PolicyFilter | null; first?: number | null; after?: string | null }, ctx: Ctx) {
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
    __resolveReference: (ref: RoomRef) => ({ id: ref.id }),
    fireInsurance: (room: RoomRef, _: unknown, ctx: Ctx) => roomPolicy(room, ctx),
    hasFireInsurance: async (room: RoomRef, _: unknown, ctx: Ctx) => (await roomPolicy(room, ctx)) !== null,
  },
  FireInsurancePolicy: {
    room: (p: IFireInsurancePolicy) => (p.roomId ? { __typename: 'Room', id: p.roomId } : null),
    status: (p: IFireInsurancePolicy, _: unknown, ctx: Ctx) => policyStatusOn(p, todayFor(ctx)),
    hasCertificate: (p: IFireInsurancePolicy) => p.certificateFileKey !== null && p.certificateFileKey !== undefined,
  },
};
