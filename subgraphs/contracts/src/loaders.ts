import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { FireInsuranceRepository } from './modules/fire-insurance/fire-insurance.repository.ts';
import type { IFireInsurancePolicy } from './modules/fire-insurance/fire-insurance-policy.entity.ts';
import { effectivePolicyForRoom } from './modules/fire-insurance/rules/policy-status.rule.ts';

/** A room asked about on a given Tokyo date (loaders get no clock; resolvers pass today in). */
export interface RoomOnDay {
  roomId: string;
  today: string;
}

/** Per-request batching: one statement per kind of lookup (and per date), whatever the number of rows. */
export function createLoaders(em: EntityManager, _identity: Identity) {
  const policies = new FireInsuranceRepository(em);
  return {
    /** The policy covering each room today (per-room over blanket), or null. */
    fireInsuranceByRoom: new DataLoader<RoomOnDay, IFireInsurancePolicy | null, string>(
      async (keys) => {
        const days = [...new Set(keys.map((k) => k.today))];
        const byDay = new Map<string, IFireInsurancePolicy[]>();
        for (const today of days) {
          const roomIds = [...new Set(keys.filter((k) => k.today === today).map((k) => k.roomId))];
          byDay.set(today, await policies.inForceForRooms(roomIds, today));
        }
        return keys.map((k) => effectivePolicyForRoom(k.roomId, byDay.get(k.today) ?? [], k.today));
      },
      { cacheKeyFn: (k) => `${k.today}|${k.roomId}` },
    ),
  };
}
export type ContractsLoaders = ReturnType<typeof createLoaders>;
