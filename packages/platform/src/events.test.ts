import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettableClock } from './clock.ts';
import { createEventBus, type DeliveredEvent, type EventBus } from './events.ts';

// Three bus instances on one database, as tenancy (publisher), smartlock and contracts (subscribers) hold them.
let database: TestDatabase;
let publisher: EventBus;
let smartlock: EventBus;
let contracts: EventBus;
const clock = createSettableClock(new Date('2026-11-22T00:00:00Z'));

beforeAll(async () => {
  database = await createTestDatabase('platform_events');
  publisher = createEventBus({ connectionString: database.url, clock });
  smartlock = createEventBus({ connectionString: database.url, clock, supervise: false });
  contracts = createEventBus({ connectionString: database.url, clock, supervise: false });
  for (const bus of [publisher, smartlock, contracts]) await bus.start();
});

afterAll(async () => {
  for (const bus of [smartlock, contracts, publisher]) await bus?.stop();
  await database?.drop();
});

describe('createEventBus', () => {
  it('delivers each published event once to every subscribed queue, in publish order, and to none that is not subscribed', async () => {
    const seenA: DeliveredEvent<{ n: number }>[] = [];
    const seenB: DeliveredEvent<{ n: number }>[] = [];
    await smartlock.subscribe<{ n: number }>('test.ordered', 'a.ordered', async (e) => void seenA.push(e), { work: false });
    await contracts.subscribe<{ n: number }>(['test.ordered', 'test.other'], 'b.ordered', async (e) => void seenB.push(e), { work: false });

    for (let n = 1; n <= 5; n++) await publisher.publish('test.ordered', { n });
    await publisher.publish('test.nobody-listens', { n: 99 });
    await publisher.publish('test.other', { n: 6 });

    expect((await smartlock.runDue('a.ordered')).failed).toEqual([]);
    expect((await contracts.runDue('b.ordered')).failed).toEqual([]);
    expect(seenA.map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5]);
    expect(seenB.map((e) => [e.event, e.data.n])).toEqual([
      ['test.ordered', 1], ['test.ordered', 2], ['test.ordered', 3], ['test.ordered', 4], ['test.ordered', 5], ['test.other', 6],
    ]);
    expect(seenA[0]?.publishedAt.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    // Nothing is delivered twice.
    expect(await smartlock.runDue('a.ordered')).toEqual({ completed: [], failed: [] });
  });

  it('publishes a batch with one insert per queue and keeps a failed delivery for a retry', async () => {
    let failOnce = true;
    const applied: number[] = [];
    await smartlock.subscribe<{ n: number }>('test.batch', 'a.batch', async (e) => {
      if (e.data.n === 2 && failOnce) {
        failOnce = false;
        throw new Error('database down');
      }
      applied.push(e.data.n);
    }, { work: false, retryDelay: 0, retryBackoff: false });
    await publisher.publishBatch([1, 2, 3].map((n) => ({ event: 'test.batch', data: { n } })));
    const result = await smartlock.runDue('a.batch');
    expect(result.failed.map((f) => f.error)).toEqual(['database down']);
    expect(applied.sort()).toEqual([1, 2, 3]);
    expect(result.completed).toHaveLength(3);
  });
});
