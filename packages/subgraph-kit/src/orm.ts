import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import type { SqlMetrics } from './sql-metrics.ts';
import { assertRequestAlive } from './request-scope.ts';

export interface OrmOptions {
  /** The subgraph's own PostgreSQL schema; nothing else in it is touched. */
  schema: string;
  databaseUrl: string;
  entities: Options['entities'];
  migrations: { name: string; class: Constructor<Migration> }[];
  metrics?: SqlMetrics;
  debug?: boolean;
  poolSize?: number;
  /** Where MikroORM's own messages go (the migrator's per-migration lines); default: nowhere. */
  logger?: (message: string) => void;
}

export async function initOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.databaseUrl,
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
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${options.schema}`]).catch(() => undefined);
    await client.end();
  }
}
