import type { SubgraphContext } from '@portal/subgraph-kit';
import type { SmartlockLoaders } from '../../loaders.ts';
import type { IRoomRef } from '@portal/subgraph-kit';
import { ResidentSearchService } from './resident-search.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

type Ctx = SubgraphContext<SmartlockLoaders>;

const residentInSlot = async (room: IRoomRef, slot: 1 | 2, ctx: Ctx) =>
  (await ctx.loaders.residentsByRoom.load(room.roomId)).find((r) => r.slot === slot) ?? null;

export const residentSearchResolvers: Resolvers = {
  Query: {
    residentSearch: (_, args, ctx) =>
      new ResidentSearchService(ctx.em, ctx.identity).search(args.filter, args.first, args.after),
  },
  RoomResident: {
    room: (room) => ({ __typename: 'Room', id: room.roomId }),
    resident1: (room, _, ctx) => residentInSlot(room, 1, ctx),
    resident2: (room, _, ctx) => residentInSlot(room, 2, ctx),
    smartlockRecipient: (room, _, ctx) => ctx.loaders.recipientByRoom.load(room.roomId),
    async lastUpdatedAt(room, _, ctx) {
      const [residents, assignment] = await Promise.all([ctx.loaders.residentsByRoom.load(room.roomId), ctx.loaders.assignmentByRoom.load(room.roomId)]);
      const times = [...residents.map((r) => r.updatedAt), ...(assignment ? [assignment.assignedAt] : [])].map((d) => new Date(d).getTime());
      return times.length > 0 ? new Date(Math.max(...times)) : null;
    },
  },
};
