import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/** A building (物件), identified by its APNo. Not member-private: reached only through a member's rooms. */
export const Property = defineEntity({
  name: 'Property',
  tableName: 'property',
  properties: (p) => ({
    id: p.uuid().primary(),
    apNo: p.string(),
    name: p.string(),
    prefecture: p.string(),
    city: p.string(),
    street: p.string(),
  }),
});
export type IProperty = InferEntity<typeof Property>;

/** A room (部屋) leased by a member. */
export const Room = defineEntity({
  name: 'Room',
  tableName: 'room',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    property: p.manyToOne(Property),
    roomNumber: p.string(),
    hasSmartlock: p.boolean(),
    moveInDate: p.date().nullable(),
    createdAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IRoom = InferEntity<typeof Room>;

/** A lease of a room by a member, with its early-termination penalty period when it has one. */
export const Lease = defineEntity({
  name: 'Lease',
  tableName: 'lease',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    roomId: p.uuid(),
    contractNumber: p.string(),
    startDate: p.date(),
    endDate: p.date().nullable(),
    penaltyUntil: p.date().nullable(),
    penaltyAmount: p.integer().nullable(),
    createdAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type ILease = InferEntity<typeof Lease>;
