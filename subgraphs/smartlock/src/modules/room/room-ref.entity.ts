import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/**
 * Smartlock's copy of the room attributes it searches by (tenancy owns rooms): written only by the
 * room event consumer (room-ref.consumer.ts) and the demo loader, read by the resident search.
 * Tombstones (`removed`) stay out of every query through the `live` filter.
 */
export const RoomRef = defineEntity({
  name: 'RoomRef',
  tableName: 'room_ref',
  properties: (p) => ({
    roomId: p.uuid().primary(),
    memberId: p.uuid(),
    memberNumber: p.string(),
    apNo: p.string(),
    propertyName: p.string(),
    roomNumber: p.string(),
    prefecture: p.string(),
    city: p.string(),
    moveInDate: p.date().nullable(),
    hasSmartlock: p.boolean(),
    leaseStart: p.date().nullable(),
    leaseEnd: p.date().nullable(),
    version: p.bigint('number'),
    removed: p.boolean(),
    updatedAt: p.datetime(),
  }),
  filters: { ...memberFilter, live: { name: 'live', cond: { removed: false }, default: true } },
});
export type IRoomRef = InferEntity<typeof RoomRef>;
