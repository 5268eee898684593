import type { SubgraphContext } from '@portal/subgraph-kit';
import type { SmartlockLoaders } from '../../loaders.ts';

type Ctx = SubgraphContext<SmartlockLoaders>;

/** Room is tenancy's; this subgraph only needs its id, so a reference costs no SQL. */
export const roomResolvers = {
  Room: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    residents: (room: { id: string }, _: unknown, ctx: Ctx) => ctx.loaders.residentsByRoom.load(room.id),
    smartlockRecipient: (room: { id: string }, _: unknown, ctx: Ctx) => ctx.loaders.recipientByRoom.load(room.id),
  },
};
