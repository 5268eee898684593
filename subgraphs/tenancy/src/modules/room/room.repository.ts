import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Room, Lease, type IRoom, type ILease } from './room.entity.ts';

export interface RoomFilter {
  apNo?: string | null;
  propertyName?: string | null;
  roomNumber?: string | null;
  prefecture?: string | null;
  city?: string | null;
  hasSmartlock?: boolean | null;
}

/** Keyset position: rooms are listed by APNo, room number, id. */
export interface RoomCursor {
  apNo: string;
  roomNumber: string;
  id: string;
}

export function encodeRoomCursor(c: RoomCursor): string {
  return Buffer.from(JSON.stringify([c.apNo, c.roomNumber, c.id])).toString('base64url');
}

export function decodeRoomCursor(cursor: string): RoomCursor | null {
  try {
    const [apNo, roomNumber, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof apNo !== 'string' || typeof roomNumber !== 'string' || typeof id !== 'string') return null;
    return { apNo, roomNumber, id };
  } catch {
    return null;
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** Queries on rooms; member scoping comes from the default filter, never from here. */
export class RoomRepository {
  constructor(private readonly em: EntityManager) {}

  private where(filter: RoomFilter | null | undefined): FilterQuery<IRoom> {
    const f = filter ?? {};
    const property: Record<string, unknown> = {};
    if (f.apNo) property.apNo = f.apNo;
    if (f.propertyName) property.name = { $ilike: `%${escapeLike(f.propertyName)}%` };
    if (f.prefecture) property.prefecture = f.prefecture;
    if (f.city) property.city = f.city;
    const where: Record<string, unknown> = {};
    if (Object.keys(property).length > 0) where.property = property;
    if (f.roomNumber) where.roomNumber = f.roomNumber;
    if (typeof f.hasSmartlock === 'boolean') where.hasSmartlock = f.hasSmartlock;
    return where as FilterQuery<IRoom>;
  }

  async page(filter: RoomFilter | null | undefined, first: number, after: RoomCursor | null): Promise<{ rows: IRoom[]; hasNextPage: boolean }> {
    const base = this.where(filter);
    const where = after
      ? {
          $and: [
            base,
            {
              $or: [
                { property: { apNo: { $gt: after.apNo } } },
                { property: { apNo: after.apNo }, roomNumber: { $gt: after.roomNumber } },
                { property: { apNo: after.apNo }, roomNumber: after.roomNumber, id: { $gt: after.id } },
              ],
            },
          ],
        }
      : base;
    const rows = await this.em.find(Room, where as FilterQuery<IRoom>, {
      populate: ['property'],
      orderBy: [{ property: { apNo: 'asc' } }, { roomNumber: 'asc' }, { id: 'asc' }],
      limit: first + 1,
    });
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(filter: RoomFilter | null | undefined): Promise<number> {
    return this.em.count(Room, this.where(filter));
  }

  byIds(ids: readonly string[]): Promise<IRoom[]> {
    return this.em.find(Room, { id: { $in: [...ids] } }, { populate: ['property'] });
  }

  leasesByRoomIds(roomIds: readonly string[]): Promise<ILease[]> {
    return this.em.find(Lease, { roomId: { $in: [...roomIds] } }, { orderBy: { startDate: 'desc' } });
  }
}
