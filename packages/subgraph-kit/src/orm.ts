import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { dbScopeStatement } from '@portal/platform';
import type { SqlMetrics } from './sql-metrics.ts';
import { assertRequestAlive } from './request-scope.ts';
import { ensureSubgraphRole } from './db-roles.ts';

export interface OrmOptions {
  /** The subgraph's own PostgreSQL schema; nothing else in it is touched. */
  schema: string;
  /**
   * Where the ORM connects. At run time: the subgraph's own role (`appDatabaseUrl`), possibly with
   * `?options=-c role=…` (libpq start-up options, applied here too); for migrations: the owner.
   */
  databaseUrl: string;
  entities: Options['entities'];
  migrations: { name: string; class: Constructor<Migration> }[];
  metrics?: SqlMetrics;
  debug?: boolean;
  poolSize?: number;
  /** Where MikroORM's own messages go (the migrator's per-migration lines); default: nowhere. */
  logger?: (message: string) => void;
}

/** What MikroORM hands its reservation hook: a kysely connection (only `executeQuery` is used). */
interface ReservedConnection {
  executeQuery(query: { sql: string; parameters: readonly unknown[] }): Promise<unknown>;
}

export async function initOrm(options: OrmOptions): Promise<MikroORM> {
  // MikroORM builds its pool from the URL's parts and drops its query; libpq start-up options
  // (`-c role=…`) are passed on to node-postgres explicitly.
  const startupOptions = new URL(options.databaseUrl).searchParams.get('options');
  return MikroORM.init({
    clientUrl: options.databaseUrl,
    ...(startupOptions ? { driverOptions: { options: startupOptions } } : {}),
    // Row-level security: every reservation of a pooled connection (a statement outside a
    // transaction, or a whole transaction) is stamped with the scope of the work that reserves it,
    // so no member id survives into the next user of the connection. One extra round trip per
    // reservation; measured in docs/architecture.md ("Row-level security"). (MikroORM's own `sessionContext` follows the
    // EntityManager, which raw SQL and job code reach without; the scope here follows the call chain.)
    onReserveConnection: async (connection: unknown) => {
      const { sql, params } = dbScopeStatement();
      await (connection as ReservedConnection).executeQuery({ sql, parameters: params });
    },
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      tableName: 'mikro_orm_migrations',
      schema: options.schema,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
    },
    pool: { min: 0, max: options.poolSize ?? 10 },
    debug: options.debug ?? false,
    logger: options.logger ?? (() => undefined),
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: false,
    onQuery: (sql) => {
      // Before counting: a statement refused because its request was abandoned never runs.
      assertRequestAlive();
      options.metrics?.record();
      return sql;
    },
  });
}

/**
 * Applies the subgraph's migrations. An advisory lock per schema makes concurrent boots of several
 * replicas safe: one migrates, the others wait and then find nothing to do.
 */
export async function migrate(databaseUrl: string, options: OrmOptions): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${options.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    const orm = await initOrm({ ...options, metrics: undefined, poolSize: 2 });
    try {
      await orm.migrator.up();
    } finally {
      await orm.close(true);
    }
    await ensureSubgraphRole(client, options.schema);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${options.schema}`]).catch(() => undefined);
    await client.end();
  }
}
