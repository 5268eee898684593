/**
 * The room events tenancy publishes and the room read models other subgraphs keep from them
 * (`<schema>.room_ref`). One contract, written once: tenancy's outbox writer produces these
 * payloads, smartlock's and contracts' consumers parse them with the same zod schemas and apply
 * them with the same idempotent upsert.
 *
 * `version` is tenancy's outbox sequence: it only grows, and for one room it grows in commit order
 * (the writer takes the room's row lock before drawing it). A read model row keeps the version it
 * was built from and never applies an older or equal one, so redeliveries and out-of-order
 * deliveries change nothing. A removal is kept as a tombstone (`removed = true`) with its version,
 * so a late `room.upserted` cannot bring the room back.
 */
import { z } from 'zod';
import { assertSqlIdentifier, type SqlExecutor } from './sql.ts';

/** Event names on the bus. */
export const ROOM_EVENTS = { upserted: 'room.upserted', removed: 'room.removed' } as const;
export type RoomEventName = (typeof ROOM_EVENTS)[keyof typeof ROOM_EVENTS];

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** `room.upserted`: the room as it is now in tenancy (APNo, property, address, lease). */
export const roomUpsertedSchema = z.object({
  version: z.coerce.number().int().positive(),
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
});
export type RoomUpserted = z.infer<typeof roomUpsertedSchema>;

/** `room.removed`: the room is no longer in tenancy (or no longer any member's). */
export const roomRemovedSchema = z.object({
  version: z.coerce.number().int().positive(),
  roomId: z.uuid(),
  memberId: z.uuid(),
});
export type RoomRemoved = z.infer<typeof roomRemovedSchema>;

export type RoomEvent = { event: typeof ROOM_EVENTS.upserted; data: RoomUpserted } | { event: typeof ROOM_EVENTS.removed; data: RoomRemoved };

/** Parses a delivered room event; throws (and the delivery fails for good) on an unknown name or payload. */
export function parseRoomEvent(event: string, data: unknown): RoomEvent {
  if (event === ROOM_EVENTS.upserted) return { event, data: roomUpsertedSchema.parse(data) };
  if (event === ROOM_EVENTS.removed) return { event, data: roomRemovedSchema.parse(data) };
  throw new Error(`Not a room event: ${event}`);
}

/**
 * Applies a room event to `<schema>.room_ref` in one statement. Returns true when the row changed,
 * false when the read model already holds this version or a newer one.
 */
export async function applyRoomEvent(exec: SqlExecutor, schema: string, { event, data }: RoomEvent): Promise<boolean> {
  const table = `${assertSqlIdentifier(schema, 'schema')}.room_ref`;
  if (event === ROOM_EVENTS.upserted) {
    const { rows } = await exec.query(
      `INSERT INTO ${table} AS t (room_id, member_id, member_number, ap_no, property_name, room_number, prefecture, city,
         move_in_date, has_smartlock, lease_start, lease_end, version, removed, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10, $11::date, $12::date, $13, false, now())
       ON CONFLICT (room_id) DO UPDATE SET
         member_id = excluded.member_id, member_number = excluded.member_number, ap_no = excluded.ap_no,
         property_name = excluded.property_name, room_number = excluded.room_number, prefecture = excluded.prefecture,
         city = excluded.city, move_in_date = excluded.move_in_date, has_smartlock = excluded.has_smartlock,
         lease_start = excluded.lease_start, lease_end = excluded.lease_end, version = excluded.version,
         removed = false, updated_at = now()
       WHERE t.version < excluded.version
       RETURNING room_id`,
      [data.roomId, data.memberId, data.memberNumber, data.apNo, data.propertyName, data.roomNumber, data.prefecture, data.city,
        data.moveInDate, data.hasSmartlock, data.leaseStart, data.leaseEnd, data.version],
    );
    return rows.length > 0;
  }
  // A removal of a room never seen still leaves a tombstone, so its older upsert arriving later is ignored.
  const { rows } = await exec.query(
    `INSERT INTO ${table} AS t (room_id, member_id, member_number, ap_no, property_name, room_number, prefecture, city, has_smartlock, version, removed, updated_at)
     VALUES ($1, $2, '', '', '', '', '', '', false, $3, true, now())
     ON CONFLICT (room_id) DO UPDATE SET removed = true, version = excluded.version, updated_at = now()
     WHERE t.version < excluded.version
     RETURNING room_id`,
    [data.roomId, data.memberId, data.version],
  );
  return rows.length > 0;
}

/** Column types of room_ref for `bulkInsert`-style loaders (the demo seeders fill it straight from the demo world). */
export const ROOM_REF_COLUMNS = {
  room_id: 'uuid', member_id: 'uuid', member_number: 'varchar', ap_no: 'varchar', property_name: 'text', room_number: 'varchar',
  prefecture: 'text', city: 'text', move_in_date: 'date', has_smartlock: 'boolean', lease_start: 'date', lease_end: 'date', version: 'int8',
} as const;
