import type { SubgraphContext } from '@portal/subgraph-kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { RoomRepository, type RoomView, type LeaseView } from './modules/room/room.repository.ts';
import { Member, type IMember } from './modules/member/member.entity.ts';
import { createCancellationLoaders } from './modules/cancellation/cancellation.loaders.ts';

/** Per-request batching: one statement per kind of lookup, whatever the number of rows. */
export function createLoaders(em: EntityManager, identity: Identity) {
  const rooms = new RoomRepository(em);
  return {
    room: new DataLoader<string, RoomView | null>(async (ids) => {
      const rows = await rooms.byIds(ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    leaseByRoom: new DataLoader<string, LeaseView | null>(async (roomIds) => {
      const rows = await rooms.leasesByRoomIds(roomIds);
      const byRoom = new Map<string, LeaseView>();
      for (const lease of rows) if (!byRoom.has(lease.roomId)) byRoom.set(lease.roomId, lease);
      return roomIds.map((id) => byRoom.get(id) ?? null);
    }),
    member: new DataLoader<string, IMember | null>(async (ids) => {
      const rows = await em.find(Member, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((m) => [m.id, m]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    cancellation: createCancellationLoaders(em, identity),
  };
}
export type TenancyLoaders = ReturnType<typeof createLoaders>;

/** What this subgraph's resolvers receive (the generated resolver types' context). */
export type TenancyContext = SubgraphContext<TenancyLoaders>;
