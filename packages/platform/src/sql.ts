import pg from 'pg';
import { SYSTEM_SCOPE_STARTUP_OPTIONS } from './db-scope.ts';
/**
 * The smallest SQL interface platform services need from a caller, so that they can write in the
 * caller's own transaction (the outbox row commits or rolls back with the business change).
 *
 * - node-postgres: a `pg.Pool`, `pg.Client` or a `PoolClient` inside BEGIN…COMMIT already fits.
 * - MikroORM 7: `fromMikroOrm(em)` (uses `em.getTransactionContext()`, so inside
 *   `em.transactional(...)` the statement joins that transaction).
 * - knex: `{ query: (sql, params) => trx.raw(toQuestionMarkPlaceholders(sql), params) .then((r) => ({ rows: r.rows })) }`.
 *
 * Statements written for this interface use `$1, $2, …` in order, each once, and only pass scalar
 * parameters (strings, numbers, null), so any of these drivers can carry them.
 */

/** Runs one parameterised statement ($1, $2, …) and returns its rows. */
export interface SqlExecutor {
  query(sql: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** The part of a MikroORM 7 EntityManager `fromMikroOrm` uses (duck-typed: no ORM dependency here). */
export interface MikroOrmEntityManagerLike {
  getConnection(): {
    execute(sql: string, params: unknown[], method: 'all', ctx?: unknown): Promise<unknown>;
  };
  getTransactionContext(): unknown;
}

/** Adapts a MikroORM EntityManager (its current transaction, if any) to SqlExecutor. */
export function fromMikroOrm(em: MikroOrmEntityManagerLike): SqlExecutor {
  return {
    async query(sql, params) {
      const rows = await em.getConnection().execute(toQuestionMarkPlaceholders(sql), params, 'all', em.getTransactionContext());
      return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
    },
  };
}

/**
 * Rewrites `$1 … $n` to `?` for drivers that bind positionally with question marks (knex,
 * MikroORM). Only valid when the placeholders appear in order, each once, and the text holds no
 * other `?`; throws otherwise rather than binding a value to the wrong column.
 */
export function toQuestionMarkPlaceholders(sql: string): string {
  if (sql.includes('?')) throw new Error('SQL already contains "?"; cannot rewrite placeholders safely');
  let expected = 1;
  return sql.replace(/\$(\d+)/g, (_, digits: string) => {
    if (Number(digits) !== expected) {
      throw new Error(`Placeholders must appear in order, each once: found $${digits}, expected $${expected}`);
    }
    expected += 1;
    return '?';
  });
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema name before it is spliced into DDL (identifiers cannot be bound as parameters). */
export function assertSqlIdentifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid SQL ${what}: ${JSON.stringify(name)} (lower-case letters, digits, _)`);
  return name;
}

/** A node-postgres pool (re-exported so subgraphs need no driver dependency of their own). */
export type SqlPool = pg.Pool;

/**
 * A small pool for background work (relays, event consumers), apart from the ORM's pool: its
 * statements belong to no request, so they stay out of the per-request SQL counts. Errors of idle
 * connections (a restarted server, a dropped test database) are reported, not thrown.
 * Background work reads and writes across members, so `scope: 'system'` (required, to be visible
 * at the call site) pins every connection to row-level security's system scope from its start-up.
 */
export function createSqlPool(connectionString: string, options: { scope: 'system'; max?: number; onError?: (error: Error) => void }): SqlPool {
  // node-postgres lets the URL's own `options` (e.g. `-c role=…`) override an explicit one: merge into the URL.
  const url = new URL(connectionString);
  url.searchParams.set('options', [url.searchParams.get('options'), SYSTEM_SCOPE_STARTUP_OPTIONS].filter(Boolean).join(' '));
  const pool = new pg.Pool({ connectionString: url.toString(), max: options.max ?? 2, idleTimeoutMillis: 10_000 });
  pool.on('error', options.onError ?? ((error) => console.error('[sql pool]', error.message)));
  return pool;
}
