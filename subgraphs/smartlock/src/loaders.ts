import type { SubgraphContext } from '@portal/subgraph-kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { ResidentRepository } from './modules/resident/resident.repository.ts';
import { RecipientRepository } from './modules/recipient/recipient.repository.ts';
import type { IResident } from './modules/resident/resident.entity.ts';
import type { IRoomRecipient, ISmartlockRecipient } from './modules/recipient/recipient.entity.ts';

/** Per-request batching: one statement per kind of lookup, whatever the number of rooms or recipients. */
export function createLoaders(em: EntityManager, _identity: Identity) {
  const residents = new ResidentRepository(em);
  const recipients = new RecipientRepository(em);
  // Which recipient holds each room's key, and since when (recipientByRoom reads through it: one statement for both).
  const assignmentByRoom = new DataLoader<string, IRoomRecipient | null>(async (roomIds) => {
    const byRoom = new Map((await recipients.assignmentsByRoomIds(roomIds)).map((a) => [a.roomId, a]));
    return roomIds.map((id) => byRoom.get(id) ?? null);
  });
  return {
    residentsByRoom: new DataLoader<string, IResident[]>(async (roomIds) => {
      const byRoom = groupBy(await residents.byRoomIds(roomIds), (r) => r.roomId);
      return roomIds.map((id) => byRoom.get(id) ?? []);
    }),
    recipientByRoom: new DataLoader<string, ISmartlockRecipient | null>(async (roomIds) =>
      (await assignmentByRoom.loadMany(roomIds)).map((a) => (a && !(a instanceof Error) ? (a.recipient as ISmartlockRecipient) : null)),
    ),
    assignmentByRoom,
    roomIdsByRecipient: new DataLoader<string, string[]>(async (recipientIds) => {
      const byRecipient = groupBy(await recipients.assignmentsByRecipientIds(recipientIds), (a) => a.recipient.id);
      return recipientIds.map((id) => (byRecipient.get(id) ?? []).map((a) => a.roomId));
    }),
  };
}
export type SmartlockLoaders = ReturnType<typeof createLoaders>;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** What this subgraph's resolvers receive (the generated resolver types' context). */
export type SmartlockContext = SubgraphContext<SmartlockLoaders>;
