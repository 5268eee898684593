/**
 * The event bus between subgraphs: pg-boss publish/subscribe in ONE shared pg-boss schema
 * (`portal_events`), so that tenancy's relay can publish `room.upserted` and every subscribed
 * subgraph (smartlock, contracts) receives its own copy in its own queue.
 *
 * How it works: `subscribe(event, queue, handler)` records (event → queue) in pg-boss's
 * subscription table and starts a worker on the queue; `publish(event, data)` inserts one job into
 * every queue subscribed to the event. A subscription is durable: events published while the
 * subscriber is down wait in its queue. Events published before a queue ever subscribed are not
 * in it (a new consumer is filled by a backfill or by the demo loader, not by replay).
 *
 * Delivery is at least once and not ordered across workers or retries: consumers must be
 * idempotent and compare a version carried in the event (the room read models keep the outbox
 * sequence and never apply an older event over a newer one).
 *
 * Time: events are due at once, so the bus does not mirror a SettableClock into PostgreSQL (several
 * processes with different test clocks share this schema; the clock only stamps `publishedAt`).
 */
import { systemClock, type Clock } from './clock.ts';
import { createJobQueue, type JobQueue, type QueueSettings, type RunDueResult } from './jobs.ts';
import { assertSqlIdentifier } from './sql.ts';

/** The pg-boss schema every subgraph's bus instance shares. */
export const EVENT_BUS_SCHEMA = 'portal_events';

/** What a consumer receives for one delivered event. */
export interface DeliveredEvent<T> {
  /** The job id of this delivery (a redelivery of the same event has the same id). */
  readonly id: string;
  readonly event: string;
  readonly data: T;
  /** When the publisher handed it to the bus (publisher's clock). */
  readonly publishedAt: Date;
  /** 0 on the first attempt. */
  readonly retryCount: number;
}

/** Applies one event; throwing fails the attempt and it is retried (see `subscribe`'s settings). */
export type EventHandler<T> = (event: DeliveredEvent<T>) => Promise<void>;

/** One event to publish. */
export interface OutgoingEvent {
  readonly event: string;
  readonly data: object;
}

/** Options of `createEventBus`. */
export interface EventBusOptions {
  /** PostgreSQL holding the bus (the same database by default; one shared server when subgraphs have their own databases). */
  connectionString: string;
  /** Stamps `publishedAt`. */
  clock: Clock;
  /** pg-boss schema (default `portal_events`); every publisher and subscriber must use the same. */
  schema?: string;
  /** Pool size of this instance (default 3). */
  maxConnections?: number;
  onError?: (error: Error) => void;
  /** Whether this instance runs pg-boss maintenance (default true; at least one instance must). */
  supervise?: boolean;
}

/** Options of `subscribe`. */
export interface SubscribeOptions extends Omit<QueueSettings, 'policy'> {
  /** Start a polling worker in this process (default true). Tests may drive the queue with `runDue` only. */
  work?: boolean;
  /** Seconds between polls when idle (default 2). */
  pollingIntervalSeconds?: number;
}

/** The bus a subgraph holds for its whole life. */
export interface EventBus {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Puts one event into every queue subscribed to it (nothing when none is). */
  publish(event: string, data: object): Promise<void>;
  /**
   * Publishes many events with one statement per subscribed queue; the order of `events` is the
   * order of the jobs within each queue. All or nothing per queue, not across queues: a failure
   * throws and the caller publishes again (consumers are idempotent).
   */
  publishBatch(events: readonly OutgoingEvent[]): Promise<void>;
  /** Subscribes `queue` to one or more events and registers its handler (a worker, and `runDue`). */
  subscribe<T>(event: string | readonly string[], queue: string, handler: EventHandler<T>, options?: SubscribeOptions): Promise<void>;
  /** Processes every event waiting in `queue` now, one by one (tests and operator tools). */
  runDue(queue: string, options?: { maxJobs?: number }): Promise<RunDueResult>;
  /** The underlying job queue on the bus schema (monitoring, findJobs). */
  readonly jobs: JobQueue;
}

interface Envelope {
  event: string;
  publishedAt: string;
  data: unknown;
}

const DEFAULT_CONSUMER_SETTINGS: QueueSettings = { retryLimit: 10, retryDelay: 5, retryBackoff: true };

/** Creates (but does not start) the event bus. */
export function createEventBus(options: EventBusOptions): EventBus {
  const schema = assertSqlIdentifier(options.schema ?? EVENT_BUS_SCHEMA, 'schema');
  const jobs = createJobQueue({
    connectionString: options.connectionString,
    schema,
    clock: systemClock,
    maxConnections: options.maxConnections ?? 3,
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.supervise === undefined ? {} : { supervise: options.supervise }),
  });
  // Handlers of queues subscribed without a polling worker, for runDue.
  const handlers = new Map<string, (job: { id: string; data: Envelope; retryCount: number }) => Promise<void>>();
  const envelope = (event: string, data: object): Envelope => ({ event, publishedAt: options.clock.now().toISOString(), data });

  async function subscribersOf(events: readonly string[]): Promise<Map<string, string[]>> {
    const { rows } = await jobs.boss.getDb().executeSql(`SELECT event, name FROM ${schema}.subscription WHERE event = ANY($1::text[]) ORDER BY name`, [[...new Set(events)]]);
    const byEvent = new Map<string, string[]>();
    for (const row of rows as { event: string; name: string }[]) byEvent.set(row.event, [...(byEvent.get(row.event) ?? []), row.name]);
    return byEvent;
  }

  async function publishBatch(events: readonly OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
      const subscribers = await subscribersOf(events.map((e) => e.event));
      const byQueue = new Map<string, Envelope[]>();
      for (const { event, data } of events) {
        for (const queue of subscribers.get(event) ?? []) byQueue.set(queue, [...(byQueue.get(queue) ?? []), envelope(event, data)]);
      }
      for (const [queue, batch] of byQueue) {
        await jobs.defineQueue(queue);
        for (let i = 0; i < batch.length; i += 1000) await jobs.boss.insert(queue, batch.slice(i, i + 1000).map((data) => ({ data })));
      }
  }

  return {
    jobs,
    start: () => jobs.start(),
    stop: () => jobs.stop(),
    publish: (event, data) => publishBatch([{ event, data }]),
    publishBatch,

    async subscribe<T>(event: string | readonly string[], queue: string, handler: EventHandler<T>, subscribeOptions: SubscribeOptions = {}) {
      const { work = true, pollingIntervalSeconds, ...settings } = subscribeOptions;
      await jobs.defineQueue(queue, { ...DEFAULT_CONSUMER_SETTINGS, ...settings });
      for (const name of typeof event === 'string' ? [event] : event) await jobs.boss.subscribe(name, queue);
      const run = async (job: { id: string; data: Envelope; retryCount: number }) =>
        handler({ id: job.id, event: job.data.event, data: job.data.data as T, publishedAt: new Date(job.data.publishedAt), retryCount: job.retryCount });
      if (work) await jobs.work<Envelope>(queue, run, pollingIntervalSeconds ? { pollingIntervalSeconds } : {});
      else handlers.set(queue, run);
    },

    runDue(queue, runOptions) {
      const own = handlers.get(queue);
      return own ? jobs.runDue<Envelope>(queue, own, runOptions) : jobs.runDue(queue, undefined, runOptions);
    },
  };
}

