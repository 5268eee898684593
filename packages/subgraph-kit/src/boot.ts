import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EntityManager, MikroORM, Options } from '@mikro-orm/postgresql';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Identity } from '@portal/auth';
import { createSettableClock, systemClock, type Clock } from '@portal/platform';
import { readSubgraphSdl } from '@portal/schema-tools/subgraphs';
import { booleanFlag, loadEnv } from '@portal/config';
import { initOrm, migrate } from './orm.ts';
import { startSubgraphServer, type RunningSubgraph, type SubgraphContext } from './server.ts';
import { SqlMetrics } from './sql-metrics.ts';

/** Everything that makes one subgraph; each subgraph's `app.ts` exports one. */
export interface SubgraphDefinition<Loaders> {
  name: 'billing' | 'tenancy' | 'smartlock' | 'contracts';
  defaultPort: number;
  /** The subgraph package folder; its `src/**\/*.graphql` is the schema (same files the composer reads). */
  dir: string;
  entities: Options['entities'];
  migrations: { name: string; class: Constructor<Migration> }[];
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  loaders: (em: EntityManager, identity: Identity) => Loaders;
  routes?: (deps: { orm: MikroORM; clock: Clock }) => (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

const envShape = {
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  PORTAL_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORTAL_HOST: z.string().default('127.0.0.1'),
  PORTAL_INTERNAL_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be the gateway identity public key (SPKI PEM)' }),
  PORTAL_TEST_CLOCK: booleanFlag,
  PORTAL_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
};
export type SubgraphEnv = z.infer<z.ZodObject<typeof envShape>>;

export interface BootedSubgraph extends RunningSubgraph {
  orm: MikroORM;
  clock: Clock;
}

/** Reads the environment, migrates the subgraph's schema, and serves it. */
export async function bootSubgraph<Loaders>(def: SubgraphDefinition<Loaders>, source: NodeJS.ProcessEnv = process.env): Promise<BootedSubgraph> {
  const env = loadEnv(def.name, envShape, source);
  const metrics = new SqlMetrics();
  const ormOptions = { schema: def.name, databaseUrl: env.DATABASE_URL, entities: def.entities, migrations: def.migrations, metrics, poolSize: env.PORTAL_DB_POOL_SIZE };
  await migrate(env.DATABASE_URL, ormOptions);
  const orm = await initOrm(ormOptions);
  const settable = env.PORTAL_TEST_CLOCK ? createSettableClock() : null;
  const clock: Clock = settable ?? systemClock;
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
      routes: def.routes?.({ orm, clock }),
      testClock: settable ?? undefined,
    },
    env.PORTAL_PORT ?? def.defaultPort,
    env.PORTAL_HOST,
  );
  return {
    ...running,
    orm,
    clock,
    async stop() {
      await running.stop();
      await orm.close(true);
    },
  };
}
