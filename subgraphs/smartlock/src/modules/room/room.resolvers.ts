import type { Resolvers } from '../../generated/resolvers-types.ts';

/** Room is tenancy's; this subgraph only needs its id, so a reference costs no SQL. */
export const roomResolvers: Resolvers = {
  Room: {
    __resolveReference: (ref) => ({ id: ref.id }),
    residents: (room, _, ctx) => ctx.loaders.residentsByRoom.load(room.id),
    smartlockRecipient: (room, _, ctx) => ctx.loaders.recipientByRoom.load(room.id),
  },
};
