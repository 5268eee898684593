import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import pg from 'pg';
import {
  createDownloadHandler,
  createEventBus,
  createJobQueue,
  createLinkSigner,
  createLocalFileStore,
  createMailDeliverer,
  fileCatcherTransport,
  scheduleMailDelivery,
  smtpTransport,
  type Clock,
  type DownloadCaller,
  type DownloadHandler,
  type DownloadUse,
  type EventBus,
  type FileStore,
  type JobQueue,
  type LinkSigner,
} from '@portal/platform';

/**
 * The platform services one subgraph process uses, built once at boot from its settings: the job
 * queue (pg-boss in `<subgraph>_jobs`), the file store with signed download links served through
 * the gateway at `/files/<subgraph>/<token>`, and outbox mail delivery from `<subgraph>.mail_outbox`.
 */
export interface PlatformServices {
  subgraph: string;
  clock: Clock;
  /** Null when the subgraph declares no jobs and no mail. */
  jobs: JobQueue | null;
  /** The shared event bus (pg-boss pub/sub in `portal_events`); null unless the subgraph declares `events`. */
  events: EventBus | null;
  files: FileStore;
  links: LinkSigner;
  /** The URL a client downloads a stored file from (through the gateway), valid for `ttlSeconds`. */
  downloadUrl(input: { key: string; filename: string; contentType: string; ttlSeconds?: number; memberId?: string }): string;
  /** The schema holding this subgraph's mail outbox (enqueue with `enqueueMail(fromMikroOrm(em), mailSchema, mail)`). */
  mailSchema: string;
  downloads: DownloadHandler;
  /** The subgraph's own validated settings (`SubgraphDefinition.settings`), by env name. */
  settings: Readonly<Record<string, unknown>>;
  /** The process's data directory (files, mail catcher, local development services). */
  dataDir: string;
  /** Registers a clean-up (e.g. a pool a job hook opened) that `stop()` runs after the workers have stopped. */
  onStop(fn: () => Promise<void>): void;
  stop(): Promise<void>;
}

export interface ServiceSettings {
  subgraph: string;
  databaseUrl: string;
  clock: Clock;
  dataDir: string;
  fileLinkSecret: string | undefined;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  withJobs: boolean;
  withMail: boolean;
  settings?: Record<string, unknown>;
  /** Start the shared event bus (on `eventBusUrl`, default `databaseUrl`). */
  withEvents?: boolean;
  eventBusUrl?: string | undefined;
  /** Who presents a download link (the gateway's signed identity on the request); see createDownloadHandler. */
  downloadCallerOf?: (req: IncomingMessage) => Promise<DownloadCaller | null>;
  /** Receives every use of a download link, served or refused (the download log). */
  onDownload?: (use: DownloadUse) => void;
}

export async function createPlatformServices(settings: ServiceSettings): Promise<PlatformServices> {
  const secret = settings.fileLinkSecret ? Buffer.from(settings.fileLinkSecret, 'base64url') : randomBytes(32);
  const links = createLinkSigner(secret, settings.clock);
  const files = createLocalFileStore(path.join(settings.dataDir, 'files', settings.subgraph));
  const downloads = createDownloadHandler({
    store: files,
    signer: links,
    prefix: '/files/',
    ...(settings.downloadCallerOf ? { callerOf: settings.downloadCallerOf } : {}),
    ...(settings.onDownload ? { onUse: settings.onDownload } : {}),
  });
  let jobs: JobQueue | null = null;
  let pool: pg.Pool | null = null;
  if (settings.withJobs || settings.withMail) {
    jobs = createJobQueue({ connectionString: settings.databaseUrl, schema: `${settings.subgraph}_jobs`, clock: settings.clock, maxConnections: 4 });
    await jobs.start();
  }
  let events: EventBus | null = null;
  if (settings.withEvents) {
    events = createEventBus({ connectionString: settings.eventBusUrl ?? settings.databaseUrl, clock: settings.clock });
    await events.start();
  }
  if (settings.withMail && jobs) {
    pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 2 });
    // An idle connection the server closes (restart, failover) must not crash the process.
    pool.on('error', (error) => console.error(`[${settings.subgraph} mail pool]`, error.message));
    const transport = settings.smtpUrl ? smtpTransport(settings.smtpUrl) : fileCatcherTransport(path.join(settings.dataDir, 'mail'));
    const deliverer = createMailDeliverer({ pool, schema: settings.subgraph, transport, from: settings.mailFrom, clock: settings.clock });
    await scheduleMailDelivery(jobs, deliverer, `${settings.subgraph}-mail`);
  }
  const stoppers: (() => Promise<void>)[] = [];
  return {
    subgraph: settings.subgraph,
    clock: settings.clock,
    jobs,
    events,
    files,
    links,
    downloads,
    mailSchema: settings.subgraph,
    settings: settings.settings ?? {},
    dataDir: settings.dataDir,
    downloadUrl(input) {
      return `${settings.publicUrl.replace(/\/$/, '')}/files/${settings.subgraph}/${links.sign(input)}`;
    },
    onStop(fn) {
      stoppers.push(fn);
    },
    async stop() {
      await jobs?.stop();
      await events?.stop();
      for (const stopper of stoppers.splice(0)) await stopper();
      await pool?.end();
    },
  };
}
