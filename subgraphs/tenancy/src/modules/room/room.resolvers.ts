import { GraphQLError } from 'graphql';
import { existing } from '@portal/subgraph-kit';
import { RoomRepository, decodeRoomCursor, encodeRoomCursor } from './room.repository.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

const MAX_PAGE = 200;

export const roomResolvers: Resolvers = {
  Query: {
    async rooms(_, args, ctx) {
      const first = args.first ?? 50;
      if (first < 1 || first > MAX_PAGE) throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
      const after = args.after ? decodeRoomCursor(args.after) : null;
      if (args.after && !after) throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      const repo = new RoomRepository(ctx.em);
      const [{ rows, hasNextPage }, totalCount] = await Promise.all([repo.page(args.filter, first, after), repo.count(args.filter)]);
      rows.forEach((r) => ctx.loaders.room.prime(r.id, r));
      const edges = rows.map((node) => ({ node, cursor: encodeRoomCursor({ apNo: node.property.apNo, roomNumber: node.roomNumber, id: node.id }) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    room(_, args, ctx) {
      return isUuid(args.id) ? ctx.loaders.room.load(args.id) : null;
    },
  },
  Room: {
    __resolveReference(ref, ctx) {
      return isUuid(ref.id) ? ctx.loaders.room.load(ref.id) : null;
    },
    apNo: (room) => room.property.apNo,
    propertyName: (room) => room.property.name,
    prefecture: (room) => room.property.prefecture,
    city: (room) => room.property.city,
    async memberNumber(room, _, ctx) {
      return existing(await ctx.loaders.member.load(room.memberId), `member of room ${room.id}`).memberNumber;
    },
    lease: (room, _, ctx) => ctx.loaders.leaseByRoom.load(room.id),
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A malformed id behaves like an unknown one (null), never like a database error. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
