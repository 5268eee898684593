import type { SubgraphContext } from '@portal/subgraph-kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { FireInsuranceRepository } from './modules/fire-insurance/fire-insurance.repository.ts';
import type { IFireInsurancePolicy } from './modules/fire-insurance/fire-insurance-policy.entity.ts';
import { effectivePolicyForRoom } from './modules/fire-insurance/rules/policy-status.rule.ts';
import { isContractedOn } from './modules/fire-insurance/rules/contracted-room.rule.ts';
import { RoomRefRepository } from './modules/room/room-ref.repository.ts';

/** A room asked about on a given Tokyo date (loaders get no clock; resolvers pass today in). */
export interface RoomOnDay {
  roomId: string;
  today: string;
}

/** Per-request batching: one statement per kind of lookup (and per date), whatever the number of rows. */
export function createLoaders(em: EntityManager, _identity: Identity) {
  const policies = new FireInsuranceRepository(em);
  const roomRefs = new RoomRefRepository(em);
  return {
    /** The policy covering each room today (per-room over blanket), or null. */
    fireInsuranceByRoom: new DataLoader<RoomOnDay, IFireInsurancePolicy | null, string>(
      async (keys) => {
        const days = [...new Set(keys.map((k) => k.today))];
        const byDay = new Map<string, IFireInsurancePolicy[]>();
        const contracted = new Map<string, Set<string>>();
        for (const today of days) {
          const roomIds = [...new Set(keys.filter((k) => k.today === today).map((k) => k.roomId))];
          const [inForce, rooms] = await Promise.all([policies.inForceForRooms(roomIds, today), roomRefs.byIds(roomIds)]);
          byDay.set(today, inForce);
          contracted.set(today, new Set(rooms.filter((r) => isContractedOn(r, today)).map((r) => r.roomId)));
        }
        // A blanket policy covers only the caller's contracted rooms (room read model, member-filtered):
        // any other room id, another member's included, gets at most a per-room policy of the caller's own.
        return keys.map((k) => {
          const candidates = byDay.get(k.today) ?? [];
          const covered = contracted.get(k.today)?.has(k.roomId) ? candidates : candidates.filter((p) => p.coverageKind !== 'BLANKET');
          return effectivePolicyForRoom(k.roomId, covered, k.today);
        });
      },
      { cacheKeyFn: (k) => `${k.today}|${k.roomId}` },
    ),
  };
}
export type ContractsLoaders = ReturnType<typeof createLoaders>;

/** What this subgraph's resolvers receive (the generated resolver types' context). */
export type ContractsContext = SubgraphContext<ContractsLoaders>;
