import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Room, Lease, type IRoom, type ILease } from './room.entity.ts';

/** A room as the read paths return it: the entity's fields and its building, plain data. */
export interface RoomView {
  id: string;
  memberId: string;
  roomNumber: string;
  hasSmartlock: boolean;
  moveInDate?: string | null;
  createdAt: Date;
  property: { id: string; apNo: string; name: string; prefecture: string; city: string; street: string };
}

/** A lease as the read paths return it (plain data). */
export type LeaseView = Pick<ILease, 'id' | 'memberId' | 'roomId' | 'contractNumber' | 'startDate' | 'endDate' | 'penaltyUntil' | 'penaltyAmount' | 'createdAt'>;

type RoomRow = Omit<RoomView, 'property'> & { propertyId: string; apNo: string; propertyName: string; prefecture: string; city: string; street: string };

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

  /**
   * Rooms by id with their building, as plain read-only rows: the hot path of `_entities` (an
   * invoice's 1,000 rooms). A query builder with the same default filters as `em.find` (member
   * scoping, FORBIDDEN without a member) and no entity hydration: 67 → 9 ms CPU for 1,000 rooms
   * here (BENCHMARKS.md). Nothing read here is ever written back.
   */
  async byIds(ids: readonly string[]): Promise<RoomView[]> {
    const qb = this.em
      .createQueryBuilder(Room, 'r')
      .join('r.property', 'p')
      .select(['r.id', 'r.memberId', 'r.roomNumber', 'r.hasSmartlock', 'r.moveInDate', 'r.createdAt', 'p.id as propertyId', 'p.apNo as apNo', 'p.name as propertyName', 'p.prefecture as prefecture', 'p.city as city', 'p.street as street'] as const)
      .where({ id: { $in: [...ids] } });
    await qb.applyFilters();
    const rows = await qb.execute<RoomRow[]>('all', true);
    return rows.map((r) => ({
      id: r.id,
      memberId: r.memberId,
      roomNumber: r.roomNumber,
      hasSmartlock: r.hasSmartlock,
      moveInDate: r.moveInDate,
      createdAt: r.createdAt,
      property: { id: r.propertyId, apNo: r.apNo, name: r.propertyName, prefecture: r.prefecture, city: r.city, street: r.street },
    }));
  }

  /** Leases of rooms, newest first, as plain read-only rows (same filters as `em.find`, no hydration). */
  async leasesByRoomIds(roomIds: readonly string[]): Promise<LeaseView[]> {
    const qb = this.em
      .createQueryBuilder(Lease, 'l')
      .select(['l.id', 'l.memberId', 'l.roomId', 'l.contractNumber', 'l.startDate', 'l.endDate', 'l.penaltyUntil', 'l.penaltyAmount', 'l.createdAt'])
      .where({ roomId: { $in: [...roomIds] } })
      .orderBy({ startDate: 'desc' });
    await qb.applyFilters();
    return qb.execute<LeaseView[]>('all', true);
  }
}
