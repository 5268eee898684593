/**
 * The room events tenancy publishes; smartlock and contracts keep their `room_ref` read models
 * from them (subgraph-kit room-read-model.ts applies them).
 *
 * `version` is tenancy's outbox sequence: it only grows, and for one room it grows in commit order
 * (the writer takes the room's row lock before drawing it). A read model row keeps the version it
 * was built from and never applies an older or equal one, so redeliveries and out-of-order
 * deliveries change nothing. A removal is kept as a tombstone with its version, so a late
 * `room.upserted` cannot bring the room back.
 */
import { z } from 'zod';
import { contractVersion, defineEvent, outboxSequence } from './contract.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** `room.upserted` v1: the room as it is now in tenancy (APNo, property, address, lease). */
export const roomUpserted = defineEvent({
  name: 'room.upserted',
  version: 1,
  publisher: 'tenancy',
  schema: z.object({
    v: contractVersion(1),
    version: outboxSequence,
    roomId: z.uuid(),
    memberId: z.uuid(),
    memberNumber: z.string().regex(/^\d{8}$/),
    apNo: z.string().min(1),
    propertyName: z.string().min(1),
    roomNumber: z.string().min(1),
    prefecture: z.string().min(1),
    city: z.string().min(1),
    moveInDate: date.nullable(),
    hasSmartlock: z.boolean(),
    leaseStart: date.nullable(),
    leaseEnd: date.nullable(),
  }),
});

/** `room.removed` v1: the room is no longer in tenancy (or no longer any member's). */
export const roomRemoved = defineEvent({
  name: 'room.removed',
  version: 1,
  publisher: 'tenancy',
  schema: z.object({
    v: contractVersion(1),
    version: outboxSequence,
    roomId: z.uuid(),
    memberId: z.uuid(),
  }),
});

/** Event names on the bus. */
export const ROOM_EVENTS = { upserted: roomUpserted.name, removed: roomRemoved.name } as const;
export type RoomEventName = (typeof ROOM_EVENTS)[keyof typeof ROOM_EVENTS];

export const roomUpsertedSchema = roomUpserted.schema;
export const roomRemovedSchema = roomRemoved.schema;
/** The parsed payloads; `v` may be left out where one is built by hand (it can only be 1). */
export type RoomUpserted = Omit<z.output<typeof roomUpsertedSchema>, 'v'> & { v?: 1 };
export type RoomRemoved = Omit<z.output<typeof roomRemovedSchema>, 'v'> & { v?: 1 };

export type RoomEvent = { event: typeof ROOM_EVENTS.upserted; data: RoomUpserted } | { event: typeof ROOM_EVENTS.removed; data: RoomRemoved };

/** Parses a delivered room event; throws (and the delivery fails for good) on an unknown name or payload. */
export function parseRoomEvent(event: string, data: unknown): RoomEvent {
  if (event === ROOM_EVENTS.upserted) return { event, data: roomUpsertedSchema.parse(data) };
  if (event === ROOM_EVENTS.removed) return { event, data: roomRemovedSchema.parse(data) };
  throw new Error(`Not a room event: ${event}`);
}
