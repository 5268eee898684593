import type pg from 'pg';
import type { DemoWorld } from './world.ts';

/**
 * A subgraph's demo seeder (`subgraphs/<name>/src/demo/seeder.ts`, export `seedDemo`): writes its
 * part of the demo world into its own schema only, inside the loader's one transaction. The world
 * and this contract live down here so that each subgraph owns its seeder while the loader that runs
 * them all (tooling/demo-data) stays on the top floor.
 */
export type DemoSeeder = (client: pg.ClientBase, world: DemoWorld) => Promise<void>;
