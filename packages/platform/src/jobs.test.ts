import { createTestDatabase, type TestDatabase } from '@portal/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jstDate, jstInstant } from './calendar.ts';
import { createSettableClock, systemClock } from './clock.ts';
import { createJobQueue, PG_QUEUED_QUERY_DEPRECATION, throttledErrorLog, type JobContext, type JobQueue } from './jobs.ts';

// Every process warning of this file's run (pg-boss opens its pool connections below).
const warnings: Error[] = [];
process.on('warning', (w) => warnings.push(w));

// Integration test on a real PostgreSQL: a fresh database for this file, dropped afterwards.
let database: TestDatabase;
let queue: JobQueue;
const clock = createSettableClock(jstInstant(jstDate('2025-11-21'), 7, 59));
const errors: Error[] = [];

beforeAll(async () => {
  database = await createTestDatabase('platform_jobs');
  queue = createJobQueue({
    connectionString: database.url,
    schema: 'jobs',
    clock,
    queues: {
      'flaky-job': { retryLimit: 1 },
      'deliver-key': { policy: 'exclusive' },
    },
    onError: (error) => errors.push(error),
  });
  await queue.start();
});

afterAll(async () => {
  await queue?.stop();
  await database?.drop();
});

describe('createJobQueue', () => {
  it('runs a deferred job only once the clock reaches its start time', async () => {
    clock.set(jstInstant(jstDate('2025-11-21'), 7, 59));
    const seen: JobContext<{ contractId: string }>[] = [];
    const handler = async (job: JobContext<{ contractId: string }>) => {
      seen.push(job);
    };
    const id = await queue.send('decide-cancellation', { contractId: 'C-1' }, {
      startAfter: jstInstant(jstDate('2025-11-21'), 8, 0),
    });
    expect(id).toEqual(expect.any(String));

    expect(await queue.runDue('decide-cancellation', handler)).toEqual({ completed: [], failed: [] });

    clock.advance(60_000); // 08:00 JST
    const result = await queue.runDue('decide-cancellation', handler);
    expect(result).toEqual({ completed: [id], failed: [] });
    expect(seen.map((job) => [job.id, job.data.contractId, job.retryCount])).toEqual([[id, 'C-1', 0]]);

    // Completed means gone from the queue: nothing left to run.
    expect(await queue.runDue('decide-cancellation', handler)).toEqual({ completed: [], failed: [] });
    const [stored] = await queue.boss.findJobs('decide-cancellation', { id: id! });
    expect(stored?.state).toBe('completed');
  });

  it('retries a failing job up to the queue retry limit, then leaves it failed', async () => {
    clock.set(new Date('2025-12-01T00:00:00Z'));
    const id = await queue.send('flaky-job', { n: 1 });
    let attempts = 0;
    const result = await queue.runDue('flaky-job', async () => {
      attempts += 1;
      throw new Error(`boom ${attempts}`);
    });
    expect(attempts).toBe(2); // first attempt + retryLimit 1
    expect(result.completed).toEqual([]);
    expect(result.failed).toEqual([
      { id, error: 'boom 1' },
      { id, error: 'boom 2' },
    ]);
    const [stored] = await queue.boss.findJobs('flaky-job', { id: id! });
    expect(stored?.state).toBe('failed');
  });

  it('deduplicates by singletonKey on an exclusive queue, and requires the key there', async () => {
    clock.set(new Date('2025-12-02T00:00:00Z'));
    const first = await queue.send('deliver-key', { room: '101' }, { singletonKey: 'room-101' });
    const duplicate = await queue.send('deliver-key', { room: '101' }, { singletonKey: 'room-101' });
    const other = await queue.send('deliver-key', { room: '102' }, { singletonKey: 'room-102' });
    expect(first).toEqual(expect.any(String));
    expect(duplicate).toBeNull();
    expect(other).toEqual(expect.any(String));
    await expect(queue.send('deliver-key', { room: '103' })).rejects.toThrow(/singletonKey/);

    const rooms: string[] = [];
    const result = await queue.runDue<{ room: string }>('deliver-key', async (job) => {
      rooms.push(job.data.room);
    });
    expect(result.completed).toHaveLength(2);
    expect(rooms.sort()).toEqual(['101', '102']);
  });

  it('hands each job to exactly one of several competing workers', async () => {
    clock.set(new Date('2025-12-03T00:00:00Z'));
    const second = createJobQueue({ connectionString: database.url, schema: 'jobs', clock, supervise: false });
    await second.start();
    try {
      const ids = await Promise.all(Array.from({ length: 30 }, (_, n) => queue.send('stamp', { n })));
      const processed: number[] = [];
      const handler = async (job: JobContext<{ n: number }>) => {
        processed.push(job.data.n);
        await new Promise((resolve) => setTimeout(resolve, 2));
      };
      const [a, b, c] = await Promise.all([
        queue.runDue('stamp', handler),
        second.runDue('stamp', handler),
        second.runDue('stamp', handler),
      ]);
      const completed = [...a.completed, ...b.completed, ...c.completed];
      expect(completed.sort()).toEqual([...ids].sort());
      expect(processed.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    } finally {
      await second.stop();
    }
  });

  it('lets a polling worker pick up jobs that are due, and not those deferred past the clock', async () => {
    clock.set(new Date('2025-12-04T00:00:00Z'));
    const received: string[] = [];
    await queue.work<{ label: string }>(
      'mail-tick',
      async (job) => {
        received.push(job.data.label);
      },
      { pollingIntervalSeconds: 0.5 },
    );
    await queue.send('mail-tick', { label: 'later' }, { startAfter: new Date('2025-12-04T00:10:00Z') });
    await queue.send('mail-tick', { label: 'now' });
    await vi.waitFor(() => expect(received).toEqual(['now']), { timeout: 10_000, interval: 100 });

    clock.advance(10 * 60_000);
    await vi.waitFor(() => expect(received).toEqual(['now', 'later']), { timeout: 10_000, interval: 100 });
    // runDue without a handler uses the one registered by work().
    await queue.send('mail-tick', { label: 'drained' });
    await queue.runDue('mail-tick');
    await vi.waitFor(() => expect(received).toContain('drained'), { timeout: 10_000, interval: 100 });
  });

  it('registers cron schedules in Asia/Tokyo and previews their instants from the clock', async () => {
    clock.set(jstInstant(jstDate('2025-11-21'), 12, 0));
    await queue.schedule('key-delivery', '0 9 * * *', { kind: 'daily' });
    const [schedule] = await queue.boss.getSchedules('key-delivery');
    expect(schedule).toMatchObject({ name: 'key-delivery', cron: '0 9 * * *', timezone: 'Asia/Tokyo', data: { kind: 'daily' } });
    expect(queue.previewSchedule('0 9 * * *', 2).map((date) => date.toISOString())).toEqual([
      '2025-11-22T00:00:00.000Z',
      '2025-11-23T00:00:00.000Z',
    ]);
    await queue.unschedule('key-delivery');
    expect(await queue.boss.getSchedules('key-delivery')).toEqual([]);
  });

  it('runs on the system clock in production wiring (no database clock override)', async () => {
    const production = createJobQueue({ connectionString: database.url, schema: 'jobs_system', clock: systemClock });
    await production.start();
    try {
      const due = await production.send('nightly-stamp', { day: 1 });
      await production.send('nightly-stamp', { day: 2 }, { startAfter: new Date(Date.now() + 3_600_000) });
      const days: number[] = [];
      const result = await production.runDue<{ day: number }>('nightly-stamp', async (job) => {
        days.push(job.data.day);
      });
      expect(result.completed).toEqual([due]);
      expect(days).toEqual([1]);
    } finally {
      await production.stop();
    }
  });

  it('refuses to run a queue without a handler', async () => {
    await expect(queue.runDue('no-handler')).rejects.toThrow(/no handler/);
    expect(errors).toEqual([]);
  });
});

describe('process warnings', () => {
  it('pg-boss\'s test-clock session hook leaves no pg deprecation in the output; other warnings still arrive', async () => {
    // more connections than the pool has open yet, so new ones run pg-boss's connect hook now
    await Promise.all(Array.from({ length: 6 }, (_, i) => queue.send('warning-probe', { i })));
    process.emitWarning('control warning of jobs.test.ts (expected once in the output)', 'PortalTestWarning');
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.message.startsWith(PG_QUEUED_QUERY_DEPRECATION))).toEqual([]);
    expect(warnings.map((w) => w.message)).toContain('control warning of jobs.test.ts (expected once in the output)');
  });
});

describe('throttledErrorLog', () => {
  it('writes the first error, then one line per window with the count left out', () => {
    let t = 0;
    const lines: string[] = [];
    const log = throttledErrorLog('[jobs]', 30_000, () => t, (line) => lines.push(line));
    for (let i = 0; i < 10; i++) log(new Error('connect ECONNREFUSED'));
    t = 30_000;
    log(new Error('connect ECONNREFUSED'));
    expect(lines).toEqual(['[jobs] connect ECONNREFUSED', '[jobs] connect ECONNREFUSED (9 more errors in the last 30 s not shown)']);
  });
});
