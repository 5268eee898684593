import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type FilterQuery } from '@mikro-orm/core';
import { escapeLike, isUuid } from '../ids.ts';
import { RoomRef, type IRoomRef } from '@portal/subgraph-kit';

export const REGISTRATION_STATUSES = ['REGISTERED', 'UNREGISTERED'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Search conditions of 入居者・Smartlock受取者検索, combined with AND; each empty one is ignored ("empty search = all"). */
export interface ResidentSearchFilter {
  /** APNo, exact. */
  apNo?: string | null;
  /** Room number, exact. */
  roomNumber?: string | null;
  /** Property name, partial and case-insensitive. */
  propertyName?: string | null;
  /** Member number, exact (a member only ever sees its own, so another number finds nothing). */
  memberNumber?: string | null;
  prefecture?: string | null;
  city?: string | null;
  /** Resident 1 or 2, name in kanji or kana, partial. */
  residentName?: string | null;
  /** The room's smartlock recipient, name in kanji or kana, partial. */
  recipientName?: string | null;
  /** Rooms with at least one resident (登録済) or none (未登録). */
  registrationStatus?: RegistrationStatus | null;
  hasSmartlock?: boolean | null;
}

/** Keyset position: the list is ordered by APNo, room number, room id. */
export interface RoomCursor {
  apNo: string;
  roomNumber: string;
  roomId: string;
}

export function encodeRoomCursor(c: RoomCursor): string {
  return Buffer.from(JSON.stringify([c.apNo, c.roomNumber, c.roomId])).toString('base64url');
}

export function decodeRoomCursor(cursor: string): RoomCursor | null {
  try {
    const [apNo, roomNumber, roomId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof apNo !== 'string' || typeof roomNumber !== 'string' || typeof roomId !== 'string' || !isUuid(roomId)) return null;
    return { apNo, roomNumber, roomId };
  } catch {
    return null;
  }
}

const text = (value: string | null | undefined) => value?.trim() || null;

/**
 * The search over smartlock's room read model. Member scoping and tombstones come from RoomRef's
 * default filters; the resident and recipient conditions are correlated EXISTS subqueries on the
 * same member and room, so every filter is one SQL statement with the page (and one with the count),
 * whatever the page size.
 */
export class ResidentSearchRepository {
  constructor(private readonly em: EntityManager) {}

  private where(filter: ResidentSearchFilter | null | undefined): FilterQuery<IRoomRef> {
    const f = filter ?? {};
    const and: FilterQuery<IRoomRef>[] = [];
    const apNo = text(f.apNo);
    if (apNo) and.push({ apNo });
    const roomNumber = text(f.roomNumber);
    if (roomNumber) and.push({ roomNumber });
    const propertyName = text(f.propertyName);
    if (propertyName) and.push({ propertyName: { $ilike: `%${escapeLike(propertyName)}%` } });
    const memberNumber = text(f.memberNumber);
    if (memberNumber) and.push({ memberNumber });
    const prefecture = text(f.prefecture);
    if (prefecture) and.push({ prefecture });
    const city = text(f.city);
    if (city) and.push({ city });
    if (typeof f.hasSmartlock === 'boolean') and.push({ hasSmartlock: f.hasSmartlock });
    const residentName = text(f.residentName);
    if (residentName) {
      const pattern = `%${escapeLike(residentName)}%`;
      and.push({
        [raw(
          (alias: string) =>
            `exists (select 1 from smartlock.resident r where r.member_id = ${alias}.member_id and r.room_id = ${alias}.room_id and (r.name ilike ? or r.kana ilike ?))`,
          [pattern, pattern],
        )]: [],
      } as FilterQuery<IRoomRef>);
    }
    const recipientName = text(f.recipientName);
    if (recipientName) {
      const pattern = `%${escapeLike(recipientName)}%`;
      and.push({
        [raw(
          (alias: string) =>
            `exists (select 1 from smartlock.room_recipient rr join smartlock.smartlock_recipient s on s.id = rr.recipient_id and s.member_id = rr.member_id
               where rr.member_id = ${alias}.member_id and rr.room_id = ${alias}.room_id and (s.name_kanji ilike ? or s.name_kana ilike ?))`,
          [pattern, pattern],
        )]: [],
      } as FilterQuery<IRoomRef>);
    }
    if (f.registrationStatus) {
      const negate = f.registrationStatus === 'UNREGISTERED' ? 'not ' : '';
      and.push({
        [raw((alias: string) => `${negate}exists (select 1 from smartlock.resident r where r.member_id = ${alias}.member_id and r.room_id = ${alias}.room_id)`)]: [],
      } as FilterQuery<IRoomRef>);
    }
    return and.length === 0 ? {} : { $and: and };
  }

  async page(filter: ResidentSearchFilter | null | undefined, first: number, after: RoomCursor | null): Promise<{ rows: IRoomRef[]; hasNextPage: boolean }> {
    const base = this.where(filter);
    const where: FilterQuery<IRoomRef> = after
      ? {
          $and: [
            base,
            {
              $or: [
                { apNo: { $gt: after.apNo } },
                { apNo: after.apNo, roomNumber: { $gt: after.roomNumber } },
                { apNo: after.apNo, roomNumber: after.roomNumber, roomId: { $gt: after.roomId } },
              ],
            },
          ],
        }
      : base;
    const rooms = await this.em.find(RoomRef, where, {
      orderBy: [{ apNo: 'asc' }, { roomNumber: 'asc' }, { roomId: 'asc' }],
      limit: first + 1,
    });
    return { rows: rooms.slice(0, first), hasNextPage: rooms.length > first };
  }

  count(filter: ResidentSearchFilter | null | undefined): Promise<number> {
    return this.em.count(RoomRef, this.where(filter));
  }
}
