import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { parseRoomEvent, ROOM_EVENTS, type RoomEvent } from '@portal/events';
import { assertSqlIdentifier, createSqlPool, type JobQueue, type SqlExecutor } from '@portal/platform';
import { memberFilter } from './member-filter.ts';
import type { PlatformServices } from './services.ts';

/**
 * The room read model, whole: its table, its entity, how an event is applied and the consumer.
 * Smartlock and contracts keep one each, so it lives here rather than in either; the events' names
 * and schemas are @portal/events'.
 *
 * A subgraph's local copy of tenancy's room attributes (`<schema>.room_ref`; each subgraph's own
 * migration creates the table with the indexes its searches need). Written only by the room event
 * consumer below and by the demo loader. Tombstones (`removed`) stay out of every query through the
 * default `live` filter; another member's room behaves like a missing one (member filter).
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

/** The subgraph's queue on the event bus for room events, e.g. `smartlock.room-events`. */
export function roomEventsQueue(subgraph: string): string {
  return `${subgraph}.room-events`;
}

/**
 * Subscribes `<subgraph>.room_ref` to tenancy's room events. Applying is idempotent and
 * version-checked (`applyRoomEvent` below), so redeliveries and out-of-order deliveries are
 * harmless. Statements go through a pool of their own: they belong to no request.
 */
export async function registerRoomRefConsumer(subgraph: string, { orm, services }: { orm: MikroORM; services: PlatformServices & { jobs: JobQueue } }): Promise<void> {
  const bus = services.events;
  if (!bus) throw new Error(`${subgraph}: the room read model needs the event bus (declare \`events: true\`)`);
  const pool = createSqlPool(String(orm.config.get('clientUrl')), { scope: 'system' });
  services.onStop(() => pool.end());
  await bus.subscribe([ROOM_EVENTS.upserted, ROOM_EVENTS.removed], roomEventsQueue(subgraph), async (event) => {
    await applyRoomEvent(pool, subgraph, parseRoomEvent(event.event, event.data));
  });
}

/**
 * The `room_ref` table of a subgraph's read model, beside the entity it maps to. Each subgraph's
 * migration adds the indexes its own searches need.
 */
export function roomRefTableDdl(schema: string): string {
  return `
      create table ${schema}.room_ref (
        room_id uuid primary key,
        member_id uuid not null,
        member_number varchar(8) not null,
        ap_no varchar(12) not null,
        property_name text not null,
        room_number varchar(10) not null,
        prefecture text not null,
        city text not null,
        move_in_date date,
        has_smartlock boolean not null,
        lease_start date,
        lease_end date,
        version bigint not null,
        removed boolean not null default false,
        updated_at timestamptz not null default now()
      );`;
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
