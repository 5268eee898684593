import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createSettableClock, createSqlPool, fromMikroOrm, runAsMember, type OutgoingEvent, type SqlPool } from '@portal/platform';
import { ROOM_EVENTS } from '@portal/events';
import { startStack, type Stack } from '@portal/testing';
import { recordRoomRemovals, recordRoomUpserts } from '../src/modules/room-events/room-events.outbox.ts';
import { relayRoomEvents, type EventPublisher } from '../src/modules/room-events/room-events.relay.ts';
import { ROOM_EVENT_RELAY_QUEUE } from '../src/modules/room-events/room-events.jobs.ts';

let stack: Stack;
let pool: SqlPool;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy'] });
  pool = createSqlPool(stack.database.url, { scope: 'system', max: 4 });
  // This file drives the relay itself: stop tenancy's own minute tick and worker so they cannot take rows from under it.
  const jobs = stack.subgraphs.tenancy!.services.jobs!;
  await jobs.unschedule(ROOM_EVENT_RELAY_QUEUE);
  await jobs.boss.offWork(ROOM_EVENT_RELAY_QUEUE);
});
afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

const clock = createSettableClock(new Date('2026-11-22T03:00:00Z'));
const em = () => stack.subgraphs.tenancy!.orm.em.fork() as EntityManager;

/** A bus that records what it was given, optionally failing the first `failures` calls. */
function recordingBus(failures = 0, delayMs = 0) {
  const published: OutgoingEvent[] = [];
  let calls = 0;
  const bus: EventPublisher = {
    async publishBatch(events) {
      calls += 1;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (calls <= failures) throw new Error('bus unavailable');
      published.push(...events);
    },
  };
  return { bus, published, calls: () => calls };
}

async function drain() {
  await relayRoomEvents({ pool, bus: recordingBus().bus, clock });
}

async function outbox(roomId: string) {
  return stack.sql<{ seq: string; event: string; payload: Record<string, unknown>; published_at: Date | null; attempts: number; last_error: string | null }>(
    'select seq, event, payload, published_at, attempts, last_error from tenancy.event_outbox where room_id = $1 order by seq',
    [roomId],
  );
}

describe('the room event outbox', () => {
  it('writes the event in the same transaction as the change: both commit, or neither', async () => {
    const member = await stack.seed.member();
    const { id: roomId } = await stack.seed.room(member.id, { apNo: `OB${member.memberNumber.slice(-6)}`, propertyName: 'レオパレス本町パレス', roomNumber: '202', moveInDate: '2025-04-01', leaseStart: '2025-03-20' });
    await drain();
    const before = await outbox(roomId);

    // A change of the member's room runs as that member (row-level security), as a request would.
    await expect(
      runAsMember(member.id, () =>
        em().transactional(async (tx) => {
          await tx.getConnection().execute(`update tenancy.room set has_smartlock = false where id = ?`, [roomId], 'run', tx.getTransactionContext());
          await recordRoomUpserts(fromMikroOrm(tx), [roomId]);
          throw new Error('the rest of the change failed');
        }),
      ),
    ).rejects.toThrow('the rest of the change failed');
    expect(await outbox(roomId)).toEqual(before);
    expect((await stack.sql('select has_smartlock from tenancy.room where id = $1', [roomId]))[0]).toEqual({ has_smartlock: true });

    await runAsMember(member.id, () =>
      em().transactional(async (tx) => {
        await tx.getConnection().execute(`update tenancy.room set has_smartlock = false where id = ?`, [roomId], 'run', tx.getTransactionContext());
        expect(await recordRoomUpserts(fromMikroOrm(tx), [roomId])).toBe(1);
      }),
    );
    const after = await outbox(roomId);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({
      event: ROOM_EVENTS.upserted,
      published_at: null,
      payload: {
        roomId, memberId: member.id, memberNumber: member.memberNumber, apNo: `OB${member.memberNumber.slice(-6)}`, propertyName: 'レオパレス本町パレス',
        roomNumber: '202', prefecture: '東京都', city: '中野区', moveInDate: '2025-04-01', hasSmartlock: false, leaseStart: '2025-03-20', leaseEnd: null,
      },
    });
  });

  it('writes removals with the member the room belonged to', async () => {
    const member = await stack.seed.member();
    const { id: roomId } = await stack.seed.room(member.id);
    expect(await recordRoomRemovals(pool, [{ roomId, memberId: member.id }])).toBe(1);
    expect((await outbox(roomId)).at(-1)).toMatchObject({ event: ROOM_EVENTS.removed, payload: { roomId, memberId: member.id } });
  });
});

describe('the relay', () => {
  it('publishes pending rows in sequence order with their sequence as version, once, and stamps them', async () => {
    await drain();
    const member = await stack.seed.member();
    const rooms = await stack.seed.rooms(member.id, 3);
    await recordRoomUpserts(pool, [rooms[0]!.id]);
    const { bus, published } = recordingBus();
    const report = await relayRoomEvents({ pool, bus, clock, batchSize: 2 });
    expect(report).toEqual({ published: 4, batches: 2 });
    const versions = published.map((e) => (e.data as { version: number }).version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const ofRoom = published.filter((e) => (e.data as { roomId: string }).roomId === rooms[0]!.id).map((e) => (e.data as { version: number }).version);
    expect(ofRoom).toHaveLength(2);
    const rows = await outbox(rooms[0]!.id);
    expect(rows.map((r) => [Number(r.seq), r.published_at?.toISOString()])).toEqual(ofRoom.map((v) => [v, '2026-11-22T03:00:00.000Z']));
    expect(await relayRoomEvents({ pool, bus, clock })).toEqual({ published: 0, batches: 0 });
  });

  it('keeps rows pending when publishing fails, counts the attempt, and publishes them on the next run', async () => {
    await drain();
    const member = await stack.seed.member();
    const { id: roomId } = await stack.seed.room(member.id);
    const failing = recordingBus(1);
    await expect(relayRoomEvents({ pool, bus: failing.bus, clock })).rejects.toThrow('bus unavailable');
    expect((await outbox(roomId)).at(-1)).toMatchObject({ published_at: null, attempts: 1, last_error: 'bus unavailable' });

    expect(await relayRoomEvents({ pool, bus: failing.bus, clock })).toEqual({ published: 1, batches: 1 });
    expect((await outbox(roomId)).at(-1)).toMatchObject({ attempts: 2, last_error: null });
    expect(failing.published.map((e) => (e.data as { roomId: string }).roomId)).toEqual([roomId]);
  });

  it('retries through the job queue: a failed relay job is run again and then succeeds', async () => {
    await drain();
    const member = await stack.seed.member();
    const { id: roomId } = await stack.seed.room(member.id);
    const jobs = stack.subgraphs.tenancy!.services.jobs!;
    const failing = recordingBus(1);
    await jobs.defineQueue('tenancy-event-relay-test', { retryLimit: 2, retryDelay: 0 });
    await jobs.send('tenancy-event-relay-test', {});
    const result = await jobs.runDue('tenancy-event-relay-test', async () => {
      await relayRoomEvents({ pool, bus: failing.bus, clock });
    });
    expect(result.failed.map((f) => f.error)).toEqual(['bus unavailable']);
    expect(result.completed).toHaveLength(1);
    expect(failing.published.map((e) => (e.data as { roomId: string }).roomId)).toEqual([roomId]);
  });

  it('shares the work between replicas without publishing a row twice (SKIP LOCKED)', async () => {
    await drain();
    const member = await stack.seed.member();
    const rooms = await stack.seed.rooms(member.id, 12);
    const a = recordingBus(0, 30);
    const b = recordingBus(0, 30);
    const [ra, rb] = await Promise.all([relayRoomEvents({ pool, bus: a.bus, clock, batchSize: 3 }), relayRoomEvents({ pool, bus: b.bus, clock, batchSize: 3 })]);
    expect(ra.published + rb.published).toBe(12);
    const ids = [...a.published, ...b.published].map((e) => (e.data as { roomId: string }).roomId);
    expect(ids.sort()).toEqual(rooms.map((r) => r.id).sort());
  });
});
