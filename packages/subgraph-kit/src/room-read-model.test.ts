import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { parseRoomEvent, ROOM_EVENTS, type RoomUpserted } from '@portal/events';
import { createEventBus, createSettableClock, type DeliveredEvent, type EventBus } from '@portal/platform';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRoomEvent, roomRefTableDdl } from './room-read-model.ts';

// Two consumers' read models (schemas a and b) on one database, fed through the bus as tenancy
// (publisher), smartlock and contracts (subscribers) hold it.
let database: TestDatabase;
let pool: pg.Pool;
let publisher: EventBus;
let smartlock: EventBus;
let contracts: EventBus;
const clock = createSettableClock(new Date('2026-11-22T00:00:00Z'));

beforeAll(async () => {
  database = await createTestDatabase('room_read_model');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  publisher = createEventBus({ connectionString: database.url, clock });
  smartlock = createEventBus({ connectionString: database.url, clock, supervise: false });
  contracts = createEventBus({ connectionString: database.url, clock, supervise: false });
  for (const bus of [publisher, smartlock, contracts]) await bus.start();
  for (const schema of ['a', 'b']) {
    await pool.query(`create schema ${schema}`);
    await pool.query(roomRefTableDdl(schema));
  }
});

afterAll(async () => {
  for (const bus of [smartlock, contracts, publisher]) await bus?.stop();
  await pool?.end();
  await database?.drop();
});

const room = (version: number, roomId: string, patch: Partial<RoomUpserted> = {}): RoomUpserted => ({
  version, roomId, memberId: '11111111-1111-4111-8111-111111111111', memberNumber: '10000001', apNo: '100001', propertyName: 'レオパレス桜ヶ丘',
  roomNumber: '101', prefecture: '東京都', city: '中野区', moveInDate: '2025-04-01', hasSmartlock: true, leaseStart: '2025-04-01', leaseEnd: null, ...patch,
});

describe('applyRoomEvent', () => {
  it('two consumers keep their read models in step; redeliveries and older events change nothing', async () => {
    const apply = (schema: string) => async (e: DeliveredEvent<unknown>) => {
      await applyRoomEvent(pool, schema, parseRoomEvent(e.event, e.data));
    };
    const events = [ROOM_EVENTS.upserted, ROOM_EVENTS.removed];
    await smartlock.subscribe(events, 'a.rooms', apply('a'), { work: false });
    await contracts.subscribe(events, 'b.rooms', apply('b'), { work: false });

    const kept = randomUUID();
    const removed = randomUUID();
    await publisher.publishBatch([
      { event: ROOM_EVENTS.upserted, data: room(1, kept) },
      { event: ROOM_EVENTS.upserted, data: room(3, kept, { propertyName: 'レオパレス若葉台', hasSmartlock: false }) },
      // Out of order and duplicated: version 2 arrives after 3, version 3 twice.
      { event: ROOM_EVENTS.upserted, data: room(2, kept, { propertyName: '古い名前' }) },
      { event: ROOM_EVENTS.upserted, data: room(3, kept, { propertyName: 'レオパレス若葉台', hasSmartlock: false }) },
      { event: ROOM_EVENTS.upserted, data: room(4, removed) },
      { event: ROOM_EVENTS.removed, data: { version: 6, roomId: removed, memberId: room(0, removed).memberId } },
      // A late upsert older than the removal must not bring the room back.
      { event: ROOM_EVENTS.upserted, data: room(5, removed) },
    ]);
    await smartlock.runDue('a.rooms');
    await contracts.runDue('b.rooms');

    for (const schema of ['a', 'b']) {
      const { rows } = await pool.query(`select room_id, property_name, has_smartlock, version::int, removed from ${schema}.room_ref order by version`);
      expect(rows).toEqual([
        { room_id: kept, property_name: 'レオパレス若葉台', has_smartlock: false, version: 3, removed: false },
        { room_id: removed, property_name: 'レオパレス桜ヶ丘', has_smartlock: true, version: 6, removed: true },
      ]);
    }
  });

  it('a removal seen before the room itself leaves a tombstone that outranks the older upsert', async () => {
    const roomId = randomUUID();
    expect(await applyRoomEvent(pool, 'a', { event: ROOM_EVENTS.removed, data: { version: 10, roomId, memberId: room(0, roomId).memberId } })).toBe(true);
    expect(await applyRoomEvent(pool, 'a', { event: ROOM_EVENTS.upserted, data: room(9, roomId) })).toBe(false);
    expect(await applyRoomEvent(pool, 'a', { event: ROOM_EVENTS.upserted, data: room(10, roomId) })).toBe(false);
    // A newer upsert (the room came back) applies.
    expect(await applyRoomEvent(pool, 'a', { event: ROOM_EVENTS.upserted, data: room(11, roomId) })).toBe(true);
    const { rows } = await pool.query('select removed, version::int from a.room_ref where room_id = $1', [roomId]);
    expect(rows).toEqual([{ removed: false, version: 11 }]);
  });

  it('refuses malformed room events instead of writing them', () => {
    expect(() => parseRoomEvent(ROOM_EVENTS.upserted, { ...room(1, randomUUID()), memberNumber: 'x' })).toThrow();
    expect(() => parseRoomEvent('room.renamed', {})).toThrow(/Not a room event/);
  });
});
