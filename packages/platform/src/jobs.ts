/**
 * The PostgreSQL-backed job queue (pg-boss 12) for deferred and scheduled work: nightly stamps,
 * 8:00 decisions, 9:00 key deliveries, expiries, mail delivery.
 *
 * Why pg-boss: jobs live in the same PostgreSQL as the data (no Redis), every fetch is
 * `FOR UPDATE SKIP LOCKED`, cron schedules are claimed once per minute across instances, so any
 * number of workers and replicas can run the same queues and each job is handed to one of them.
 *
 * Time: the queue reads the injected Clock. With a SettableClock (tests, demo) PostgreSQL's notion
 * of "now" for pg-boss (its `job_now()` function) follows the clock too, so a job with
 * `startAfter = 09:00 JST` becomes due exactly when the test sets the clock to 09:00, and
 * `runDue(name)` processes it synchronously, without waiting on a poller.
 */
import { PgBoss, TestClock } from 'pg-boss';
import type { AttachableClock, Job, Queue, QueuePolicy } from 'pg-boss';
import { isSettableClock, type Clock, type SettableClock } from './clock.ts';
import { assertSqlIdentifier } from './sql.ts';
import { runAsSystem } from './db-scope.ts';

/** The time zone every cron schedule is evaluated in. */
export const SCHEDULE_TIME_ZONE = 'Asia/Tokyo';

/** Per-queue settings; every field is optional and pg-boss's defaults apply otherwise. */
export interface QueueSettings {
  /**
   * How jobs with the same `singletonKey` are deduplicated. 'standard' (default) does not
   * deduplicate by key. 'exclusive' keeps at most one queued-or-active job per key, 'stately' at
   * most one per state per key, 'singleton' at most one active per key. On a non-standard queue
   * every job must carry a singletonKey (keyless jobs would all share the empty key).
   */
  policy?: Extract<QueuePolicy, 'standard' | 'short' | 'singleton' | 'stately' | 'exclusive'>;
  /** Retries after the first failure (pg-boss default 2). */
  retryLimit?: number;
  /** Seconds between retries (default 0). */
  retryDelay?: number;
  /** Exponential backoff on retries. */
  retryBackoff?: boolean;
  /** Seconds a job may stay active before it is considered lost and retried (default 900). */
  expireInSeconds?: number;
  /** Seconds completed jobs are kept (default 7 days). */
  deleteAfterSeconds?: number;
  /** Queue that receives jobs which failed all retries. Must be defined first. */
  deadLetter?: string;
}

/** Options of `createJobQueue`. */
export interface JobQueueOptions {
  /** PostgreSQL connection string; pg-boss opens its own small pool. */
  connectionString: string;
  /** Schema pg-boss installs its tables in (created on start), e.g. 'jobs' or 'billing_jobs'. */
  schema: string;
  /** Where "now" comes from (systemClock in production). */
  clock: Clock;
  /** Settings for queues created by this instance, by queue name. */
  queues?: Record<string, QueueSettings>;
  /** Maximum pool connections (default 10). */
  maxConnections?: number;
  /** Receives background errors pg-boss reports (default: console.error). */
  onError?: (error: Error) => void;
  /**
   * Whether this instance runs pg-boss maintenance and cron (default true). Turn off for
   * send-only processes; at least one replica must keep it on for schedules to fire.
   */
  supervise?: boolean;
}

/** What a handler receives for one job. */
export interface JobContext<T> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  /** 0 on the first attempt. */
  readonly retryCount: number;
  /** Aborted when the job expires or the worker stops. */
  readonly signal: AbortSignal;
}

/** Processes one job; throwing fails the attempt (it is retried per the queue's retryLimit). */
export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

/** Options of `send`. */
export interface SendJobOptions {
  /** Not before this instant (e.g. `jstInstant(date, 9, 0)`). */
  startAfter?: Date;
  /** Deduplication key; its effect depends on the queue policy (see QueueSettings.policy). */
  singletonKey?: string;
}

/** Options of `work`. */
export interface WorkOptions {
  /** Seconds between polls when idle (default 2, minimum 0.5). */
  pollingIntervalSeconds?: number;
  /** Jobs of this queue processed in parallel by this process (default 1). */
  concurrency?: number;
}

/** Outcome of `runDue`. */
export interface RunDueResult {
  readonly completed: string[];
  readonly failed: { id: string; error: string }[];
}

/** The job queue a subgraph holds for its whole life. */
export interface JobQueue {
  /** Installs/migrates the pg-boss schema and starts maintenance, cron and any workers. */
  start(): Promise<void>;
  /** Stops workers gracefully (waits for running handlers up to 30 s) and closes the pool. */
  stop(): Promise<void>;
  /** Creates a queue if it does not exist (idempotent); `send`/`work`/`schedule` call it for you. */
  defineQueue(name: string, settings?: QueueSettings): Promise<void>;
  /** Enqueues a job; resolves to its id, or null when the queue policy dropped it as a duplicate. */
  send<T extends object>(name: string, data: T, options?: SendJobOptions): Promise<string | null>;
  /** Creates or replaces the cron schedule of queue `name` (evaluated in Asia/Tokyo). */
  schedule<T extends object>(name: string, cron: string, data?: T): Promise<void>;
  /** Removes the cron schedule of queue `name`. */
  unschedule(name: string): Promise<void>;
  /** The next `count` instants a cron expression fires, in Asia/Tokyo, strictly after `from` (default: clock now). */
  previewSchedule(cron: string, count?: number, from?: Date): Date[];
  /** Starts polling `name` in this process; the handler is also what `runDue(name)` uses. */
  work<T>(name: string, handler: JobHandler<T>, options?: WorkOptions): Promise<void>;
  /**
   * Fetches and processes, one after another, every job of `name` that is due at the clock's now,
   * until none is left (a failed job that still has retries is fetched again in the same run).
   * For tests and operator tools; uses the handler registered by `work` unless one is given.
   */
  runDue<T>(name: string, handler?: JobHandler<T>, options?: { maxJobs?: number }): Promise<RunDueResult>;
  /** The underlying pg-boss instance, for what this facade does not cover (monitoring, findJobs). */
  readonly boss: PgBoss;
}

/** Creates (but does not start) a job queue on PostgreSQL. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  assertSqlIdentifier(options.schema, 'schema');
  const { clock } = options;
  const bridge = isSettableClock(clock) ? databaseClockBridge(clock) : null;

  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: options.schema,
    max: options.maxConnections ?? 10,
    supervise: options.supervise ?? true,
    schedule: options.supervise ?? true,
    ...(bridge ? { clock: bridge.bossClock } : {}),
  });
  const onError = options.onError ?? throttledErrorLog('[jobs]');
  boss.on('error', onError);

  const queues = new Map<string, Promise<QueuePolicy>>();
  const handlers = new Map<string, JobHandler<unknown>>();

  function defineQueue(name: string, settings?: QueueSettings): Promise<QueuePolicy> {
    let ready = queues.get(name);
    if (!ready) {
      const wanted: Omit<Queue, 'name'> = { ...options.queues?.[name], ...settings };
      ready = (async () => {
        await boss.createQueue(name, wanted);
        // An existing queue keeps its stored policy; report that one, not what we asked for.
        const queue = await boss.getQueue(name);
        if (!queue) throw new Error(`Queue ${name} was not created`);
        return queue.policy ?? 'standard';
      })();
      ready.catch(() => queues.delete(name));
      queues.set(name, ready);
    }
    return ready;
  }

  function context<T>(job: Job<T>): JobContext<T> {
    return { id: job.id, name: job.name, data: job.data, retryCount: job.retryCount, signal: job.signal };
  }

  return {
    boss,

    async start() {
      await boss.start();
      await bridge?.sync();
    },

    async stop() {
      await boss.stop({ graceful: true, timeout: 30_000 });
    },

    async defineQueue(name, settings) {
      await defineQueue(name, settings);
    },

    async send(name, data, sendOptions = {}) {
      const policy = await defineQueue(name);
      if (policy !== 'standard' && sendOptions.singletonKey === undefined) {
        throw new Error(`Queue ${name} has policy ${policy}: every job needs a singletonKey`);
      }
      await bridge?.settled();
      return boss.send(name, data, {
        ...(sendOptions.startAfter ? { startAfter: sendOptions.startAfter } : {}),
        ...(sendOptions.singletonKey !== undefined ? { singletonKey: sendOptions.singletonKey } : {}),
      });
    },

    async schedule(name, cron, data) {
      await defineQueue(name);
      await boss.schedule(name, cron, data ?? null, { tz: SCHEDULE_TIME_ZONE });
    },

    async unschedule(name) {
      await boss.unschedule(name);
    },

    previewSchedule(cron, count = 5, from = clock.now()) {
      return boss.previewSchedule(cron, { tz: SCHEDULE_TIME_ZONE, count, from });
    },

    async work<T>(name: string, handler: JobHandler<T>, workOptions: WorkOptions = {}) {
      await defineQueue(name);
      handlers.set(name, handler as JobHandler<unknown>);
      await boss.work<T>(
        name,
        {
          batchSize: 1,
          pollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? 2,
          localConcurrency: workOptions.concurrency ?? 1,
        },
        async (jobs: Job<T>[]) => {
          // Jobs work across members by design: row-level security lets them through as `system`.
          for (const job of jobs) await runAsSystem(`job ${name}`, () => handler(context(job)));
        },
      );
    },

    async runDue<T>(name: string, handler?: JobHandler<T>, runOptions: { maxJobs?: number } = {}) {
      const run = (handler ?? handlers.get(name)) as JobHandler<T> | undefined;
      if (!run) throw new Error(`runDue(${name}): no handler given and none registered with work()`);
      await defineQueue(name);
      await bridge?.sync();
      const maxJobs = runOptions.maxJobs ?? 1_000;
      const result: RunDueResult = { completed: [], failed: [] };
      while (result.completed.length + result.failed.length < maxJobs) {
        const [job] = await boss.fetch<T>(name, { batchSize: 1 });
        if (!job) break;
        const attempt = { id: job.id, retryCount: job.retryCount };
        try {
          await runAsSystem(`job ${name}`, () => run(context(job)));
          await boss.complete(name, attempt);
          result.completed.push(job.id);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await boss.fail(name, attempt, { message });
          result.failed.push({ id: job.id, error: message });
        }
      }
      return result;
    },
  };
}

/** The one `pg` deprecation that pg-boss's TestClock causes on every new pooled connection. */
export const PG_QUEUED_QUERY_DEPRECATION = 'Calling client.query() when the client is already executing a query';
let pgBossDeprecationSilenced = false;

/**
 * With a TestClock attached, pg-boss (12.35, `dist/db.js`) runs its session statements from the pool's
 * 'connect' event without awaiting them, and pg-pool then sends the checkout query on the same client:
 * pg 8.23 warns "Calling client.query() when the client is already executing a query" once a process.
 * It is harmless (pg queues the query; the statements run first, which is what pg-boss wants) and not
 * ours to fix: our code awaits every query. Only that message is dropped, and only in processes that
 * use a SettableClock (tests, PORTAL_TEST_CLOCK; production never does): every other warning still prints.
 */
function silencePgBossSessionHookDeprecation(): void {
  if (pgBossDeprecationSilenced) return;
  pgBossDeprecationSilenced = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const message = typeof warning === 'string' ? warning : warning.message;
    if (message.startsWith(PG_QUEUED_QUERY_DEPRECATION)) return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}

interface DatabaseClockBridge {
  /** The clock pg-boss reads: our clock's now, real timers (workers keep polling in real time). */
  readonly bossClock: AttachableClock;
  /** Pushes the clock's current time into PostgreSQL and waits for it. */
  sync(): Promise<void>;
  /** Waits for pushes already triggered by set/advance/reset. */
  settled(): Promise<void>;
}

const MAX_REAL_WAIT_MS = 60_000;

// One bridge per SettableClock, so several queue instances (workers) in one test share the
// database clock: pg-boss's TestClock restores the real job_now() when its last attachment goes.
const bridges = new WeakMap<SettableClock, DatabaseClockBridge>();

/**
 * Mirrors a SettableClock into PostgreSQL through pg-boss's own TestClock attachment (a one-row
 * table its job_now() reads, only in sessions of instances that opted in), so JavaScript and SQL
 * agree on "now". Production (systemClock) never goes through here.
 */
function databaseClockBridge(clock: SettableClock): DatabaseClockBridge {
  const existing = bridges.get(clock);
  if (existing) return existing;
  silencePgBossSessionHookDeprecation();
  const databaseClock = new TestClock(clock.now());
  let chain: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => {
    // TestClock refuses overlapping setTime() calls, so pushes are serialised.
    const next = chain.then(() => databaseClock.setTime(clock.now()));
    chain = next.catch(() => undefined);
    return next;
  };
  clock.subscribe(() => {
    sync().catch((error: unknown) => console.error('[jobs] clock sync failed', error));
  });
  const bridge: DatabaseClockBridge = {
    bossClock: {
      now: () => clock.now().getTime(),
      // pg-boss re-checks its due time against `now` when a timer fires, so a wait is cut into
      // minutes: a clock set weeks back would otherwise ask for more than Node's 2^31-1 ms, which
      // Node turns into 1 ms (a busy loop and a TimeoutOverflowWarning per turn).
      setTimeout: (fn, ms) => setTimeout(fn, Math.min(ms, MAX_REAL_WAIT_MS)),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
      attach: (target) => databaseClock.attach(target),
    },
    sync,
    settled: () => chain,
  };
  bridges.set(clock, bridge);
  return bridge;
}

/**
 * While the database is down every worker fails on every poll: log the first error, then at most
 * one line per `windowMs` with how many were left out, instead of a stack per worker and poll.
 */
export function throttledErrorLog(label: string, windowMs = 30_000, now: () => number = Date.now, write: (line: string) => void = (line) => console.error(line)): (error: Error) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (at - lastAt < windowMs) {
      suppressed++;
      return;
    }
    write(`${label} ${error.message}${suppressed > 0 ? ` (${suppressed} more errors in the last ${Math.round(windowMs / 1000)} s not shown)` : ''}`);
    lastAt = at;
    suppressed = 0;
  };
}
