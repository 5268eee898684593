import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../ids.ts';
import { Resident, type IResident } from './resident.entity.ts';

/** Queries on residents; member scoping comes from the default filter, never from here. */
export class ResidentRepository {
  constructor(private readonly em: EntityManager) {}

  /** Residents of the given rooms, resident 1 before resident 2. One statement. */
  async byRoomIds(roomIds: readonly string[]): Promise<IResident[]> {
    const ids = [...new Set(roomIds.filter(isUuid))];
    if (ids.length === 0) return [];
    return this.em.find(Resident, { roomId: { $in: ids } }, { orderBy: [{ roomId: 'asc' }, { slot: 'asc' }] });
  }
}
