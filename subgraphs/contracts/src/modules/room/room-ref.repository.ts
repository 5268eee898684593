import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../paging.ts';
import { RoomRef, type IRoomRef } from '@portal/subgraph-kit';

/** Reads of contracts' room read model; member scoping and tombstones come from the entity's default filters. */
export class RoomRefRepository {
  constructor(private readonly em: EntityManager) {}

  /** The caller's live rooms among these ids, in one statement (unknown and other members' ids are simply absent). */
  async byIds(roomIds: readonly string[]): Promise<IRoomRef[]> {
    const ids = [...new Set(roomIds.filter(isUuid))];
    if (ids.length === 0) return [];
    return this.em.find(RoomRef, { roomId: { $in: ids } });
  }
}
