import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EntityManager, MikroORM, Options } from '@mikro-orm/postgresql';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import pino from 'pino';
import { createIdentityVerifier, IDENTITY_HEADER, type Identity } from '@portal/auth';
import { fileURLToPath } from 'node:url';
import { createSettableClock, runAsMember, systemClock, type Clock, type DownloadUse, type JobQueue } from '@portal/platform';
import { createPlatformServices, type PlatformServices } from './services.ts';
import { readSubgraphSdl } from '@portal/schema-tools/subgraphs';
import { booleanFlag, loadEnv } from '@portal/config';
import { initOrm, migrate } from './orm.ts';
import { appDatabaseUrl, assertRunTimeRole } from './db-roles.ts';
import { startSubgraphServer, type RunningSubgraph, type SubgraphContext } from './server.ts';
import { SqlMetrics } from './sql-metrics.ts';
import { scheduleIdempotencyPurge } from './idempotency.ts';
import { downloadAuditEntry, logDownload, type DownloadAuditEntry } from './download-log.ts';
import type { SubgraphResolverMap } from './resolvers.ts';

/** Everything that makes one subgraph; each subgraph's `app.ts` exports one. */
export interface SubgraphDefinition<Loaders> {
  name: 'billing' | 'tenancy' | 'smartlock' | 'contracts';
  defaultPort: number;
  /** The subgraph package folder; its `src/**\/*.graphql` is the schema (same files the composer reads). */
  dir: string;
  entities: Options['entities'];
  migrations: { name: string; class: Constructor<Migration> }[];
  /**
   * The schema's tables that are NOT member-scoped (no row-level security), each with the reason:
   * reference data, queues, outboxes, cursors. Every other table carries the `member_rows` policy
   * (`memberRowSecurityDdl` in a migration); test/security/row-level-security.test.ts checks that
   * each table is one or the other.
   */
  sharedTables: Record<string, string>;
  /** The subgraph's generated `Resolvers` (its context is `SubgraphContext<Loaders>`). */
  resolvers: SubgraphResolverMap;
  loaders: (em: EntityManager, identity: Identity, clock: Clock) => Loaders;
  routes?: (deps: { orm: MikroORM; clock: Clock; services: PlatformServices }) => (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** Registers job workers and schedules (clean-ups via `services.onStop`); the job queue starts only for subgraphs that declare this or mail. */
  jobs?: (deps: { orm: MikroORM; services: PlatformServices & { jobs: JobQueue } }) => Promise<void>;
  /**
   * Writes one use of the subgraph's download links into the trail of the member the link was issued
   * to (the subgraph's own audit writer). The kit builds the entry (`downloadAuditEntry`), runs the
   * write after the answer in a transaction in that member's scope (row-level security: a download is
   * no GraphQL request) and logs a failure. Every use is logged either way.
   */
  recordDownload?: (em: EntityManager, entry: DownloadAuditEntry, clock: Clock) => Promise<void>;
  /** True when the subgraph publishes to or subscribes on the shared event bus (`services.events`, set up before `jobs` runs). */
  events?: boolean;
  /** True when the subgraph's migrations create `<schema>.mail_outbox` and it sends mail. */
  mail?: boolean;
  /** True when its migrations create `<schema>.idempotency_key` (`idempotencyKeyDdl`) and its mutations use `withIdempotency`: expired keys are purged hourly. */
  idempotency?: boolean;
  /**
   * The subgraph's own `PORTAL_*` settings (zod), validated at boot with the common ones and handed to
   * resolvers and jobs as `services.settings`. List a name the launcher passes to every process in
   * @portal/config's SHARED_OPTIONAL too, or the other apps refuse it as unknown.
   */
  settings?: z.ZodRawShape;
}

const envShape = {
  /** The owner: migrations (and the job queue, whose tables are not member data). */
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  /** A log-in as the subgraph's own role `portal_<subgraph>`; unset: DATABASE_URL switched to that role (docs/architecture.md). */
  PORTAL_DB_APP_URL: z.string().url({ message: 'PORTAL_DB_APP_URL must be a postgres:// URL' }).optional(),
  PORTAL_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORTAL_HOST: z.string().default('127.0.0.1'),
  PORTAL_INTERNAL_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be the gateway identity public key (SPKI PEM)' }),
  PORTAL_TEST_CLOCK: booleanFlag,
  /** On SIGTERM, how long in-flight requests may run before their connections are cut (graceful stop). */
  PORTAL_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  PORTAL_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PORTAL_DATA_DIR: z.string().default(fileURLToPath(new URL('../../../.data', import.meta.url))),
  /** base64url, at least 32 bytes; shared by every replica of a subgraph so their links verify anywhere. */
  PORTAL_FILE_LINK_SECRET: z.string().min(43).optional(),
  /** Where clients reach the gateway; unset: download links are relative (`/files/...`) to the API origin. */
  PORTAL_PUBLIC_URL: z.string().url().optional(),
  PORTAL_SMTP_URL: z.string().url().optional(),
  PORTAL_MAIL_FROM: z.string().default('"法人WEBシステム" <no-reply@portal.example.jp>'),
  /** Where the shared event bus (`portal_events`) lives when subgraphs have databases of their own; default DATABASE_URL. */
  PORTAL_EVENT_BUS_URL: z.string().url().optional(),
};
export type SubgraphEnv = z.infer<z.ZodObject<typeof envShape>>;

export interface BootedSubgraph extends RunningSubgraph {
  /** The drain timeout plus time for jobs and pools: what a signal handler should wait at most. */
  stopGraceMs: number;
  orm: MikroORM;
  clock: Clock;
  services: PlatformServices;
}

/** Reads the environment, migrates the subgraph's schema, and serves it. */
export async function bootSubgraph<Loaders>(def: SubgraphDefinition<Loaders>, source: NodeJS.ProcessEnv = process.env): Promise<BootedSubgraph> {
  const env = loadEnv(def.name, { ...envShape, ...def.settings }, source) as SubgraphEnv & Record<string, unknown>;
  const metrics = new SqlMetrics();
  const log = pino({ name: def.name, level: source.PORTAL_LOG_LEVEL ?? 'info' });
  // The migrator's per-migration lines are for whoever debugs a deployment, not for every start.
  const ormOptions = { schema: def.name, databaseUrl: env.DATABASE_URL, entities: def.entities, migrations: def.migrations, metrics, poolSize: env.PORTAL_DB_POOL_SIZE, logger: (message: string) => log.debug(message) };
  await migrate(env.DATABASE_URL, ormOptions);
  // Migrations as the owner; everything else as the subgraph's own role, under row-level security.
  const orm = await initOrm({ ...ormOptions, databaseUrl: appDatabaseUrl(def.name, env.DATABASE_URL, env.PORTAL_DB_APP_URL) });
  await assertRunTimeRole(orm, def.name).catch(async (error: unknown) => {
    await orm.close(true);
    throw error;
  });
  const settable = env.PORTAL_TEST_CLOCK ? createSettableClock() : null;
  const clock: Clock = settable ?? systemClock;
  const verifier = await createIdentityVerifier(env.PORTAL_INTERNAL_PUBLIC_KEY, def.name);
  const recordDownload = (use: DownloadUse): Promise<void> => {
    const entry = def.recordDownload ? downloadAuditEntry(use) : null;
    if (!entry || !def.recordDownload) return Promise.resolve();
    const write = def.recordDownload;
    return runAsMember(entry.memberId, () => (orm.em.fork() as EntityManager).transactional((tx) => write(tx as EntityManager, entry, clock)));
  };
  const services = await createPlatformServices({
    // Download links are bound to the member they were issued to: the gateway vouches for who presents one.
    downloadCallerOf: async (req) => {
      const header = req.headers[IDENTITY_HEADER];
      return (await verifier.verify(Array.isArray(header) ? header[0] : header)) ?? null;
    },
    onDownload: (use) => {
      logDownload(log, use);
      recordDownload(use).catch((err: unknown) => log.error({ err, fileKey: use.payload?.key }, 'download audit entry failed'));
    },
    subgraph: def.name,
    databaseUrl: env.DATABASE_URL,
    clock,
    dataDir: env.PORTAL_DATA_DIR,
    fileLinkSecret: env.PORTAL_FILE_LINK_SECRET,
    publicUrl: env.PORTAL_PUBLIC_URL ?? '',
    smtpUrl: env.PORTAL_SMTP_URL,
    mailFrom: env.PORTAL_MAIL_FROM,
    withJobs: !!def.jobs || !!def.idempotency,
    withMail: !!def.mail,
    withEvents: !!def.events,
    eventBusUrl: env.PORTAL_EVENT_BUS_URL,
    settings: Object.fromEntries(Object.keys(def.settings ?? {}).map((k) => [k, env[k]])),
  });
  if (def.jobs && services.jobs) await def.jobs({ orm, services: services as PlatformServices & { jobs: JobQueue } });
  if (def.idempotency && services.jobs) await scheduleIdempotencyPurge(orm, { ...services, jobs: services.jobs });
  const routes = def.routes?.({ orm, clock, services });
  const running = await startSubgraphServer(
    {
      name: def.name,
      sdl: readSubgraphSdl(def.dir),
      resolvers: def.resolvers,
      orm,
      metrics,
      identityPublicKeyPem: env.PORTAL_INTERNAL_PUBLIC_KEY,
      clock,
      loaders: def.loaders,
      services,
      routes: (req, res) => services.downloads(req, res) || (routes ? routes(req, res) : false),
      testClock: settable ?? undefined,
      log,
      drainTimeoutMs: env.PORTAL_DRAIN_TIMEOUT_MS,
    },
    env.PORTAL_PORT ?? def.defaultPort,
    env.PORTAL_HOST,
  );
  return {
    name: running.name,
    url: running.url,
    port: running.port,
    server: running.server,
    metrics: running.metrics,
    get draining() {
      return running.draining;
    },
    get inFlight() {
      return running.inFlight;
    },
    stopGraceMs: env.PORTAL_DRAIN_TIMEOUT_MS + 10_000,
    orm,
    clock,
    services,
    // In this order: requests finish first (they may enqueue jobs), then jobs stop, then the pool.
    async stop() {
      await running.stop();
      await services.stop();
      await orm.close(true);
    },
  };
}
