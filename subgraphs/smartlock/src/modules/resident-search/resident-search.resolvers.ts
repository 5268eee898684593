import type { SubgraphContext } from '@portal/subgraph-kit';
import type { SmartlockLoaders } from '../../loaders.ts';
import type { IRoomRef } from '@portal/subgraph-kit';
import type { ResidentSearchFilter } from './resident-search.repository.ts';
import { ResidentSearchService } from './resident-search.service.ts';

type Ctx = SubgraphContext<SmartlockLoaders>;

const residentInSlot = async (room: IRoomRef, slot: 1 | 2, ctx: Ctx) =>
  (await ctx.loaders.residentsByRoom.load(room.roomId)).find((r) => r.slot === slot) ?? null;

export const residentSearchResolvers = {
  Query: {
    residentSearch: (_: unknown, args: { filter?: ResidentSearchFilter | null; first?: number | null; after?: string | null }, ctx: Ctx) =>
      new ResidentSearchService(ctx.em, ctx.identity).search(args.filter, args.first, args.after),
  },
  RoomResident: {
    room: (room: IRoomRef) => ({ __typename: 'Room', id: room.roomId }),
    resident1: (room: IRoomRef, _: unknown, ctx: Ctx) => residentInSlot(room, 1, ctx),
    resident2: (room: IRoomRef, _: unknown, ctx: Ctx) => residentInSlot(room, 2, ctx),
    smartlockRecipient: (room: IRoomRef, _: unknown, ctx: Ctx) => ctx.loaders.recipientByRoom.load(room.roomId),
    async lastUpdatedAt(room: IRoomRef, _: unknown, ctx: Ctx) {
      const [residents, assignment] = await Promise.all([ctx.loaders.residentsByRoom.load(room.roomId), ctx.loaders.assignmentByRoom.load(room.roomId)]);
      const times = [...residents.map((r) => r.updatedAt), ...(assignment ? [assignment.assignedAt] : [])].map((d) => new Date(d).getTime());
      return times.length > 0 ? new Date(Math.max(...times)) : null;
    },
  },
};
