import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { buildDemoWorld, DEMO_PASSWORD, type DemoOptions, type DemoSeeder } from '@portal/demo-world';
import { REPO_ROOT, SUBGRAPHS } from '@portal/schema-tools';

/**
 * Each subgraph owns its seeder (`<its folder>/src/demo/seeder.ts`, export `seedDemo`), writing only
 * its own schema. The loader finds them through the subgraph registry rather than as package
 * dependencies: the services' tests import this loader, and depending on them back would make the
 * workspace graph cyclic. Tenancy first (the others' rows name its members and rooms), then in this
 * order, which the world's one random stream depends on: the same data on every machine.
 */
const SEED_ORDER = ['tenancy', 'smartlock', 'contracts', 'billing'] as const;

async function loadSeeder(name: string): Promise<DemoSeeder> {
  const info = SUBGRAPHS.find((s) => s.name === name);
  if (!info) throw new Error(`demo data: subgraph ${name} is not in the registry (@portal/schema-tools SUBGRAPHS)`);
  const file = path.join(REPO_ROOT, info.dir, 'src/demo/seeder.ts');
  let mod: { seedDemo?: DemoSeeder };
  try {
    mod = (await import(pathToFileURL(file).href)) as { seedDemo?: DemoSeeder };
  } catch (err) {
    throw new Error(`demo data: ${name}'s seeder (${path.relative(REPO_ROOT, file)}) failed to import: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (typeof mod.seedDemo !== 'function') throw new Error(`demo data: ${path.relative(REPO_ROOT, file)} exports no seedDemo`);
  return mod.seedDemo;
}

export interface LoadResult {
  created: boolean;
  summary: string;
  password: string;
  logins: { loginId: string; description: string }[];
}

export function defaultDemoOptions(now = new Date()): DemoOptions {
  const jst = new Date(now.getTime() + 9 * 3600 * 1000);
  return { extraMembers: 0, extraRooms: 0, invoiceMonths: 12, seed: 20261122, currentMonth: jst.toISOString().slice(0, 7), today: jst.toISOString().slice(0, 10) };
}

/**
 * Loads the demo data once (in one transaction: all or nothing). Skips when member 10000001
 * already exists, so restarting keeps what the demo user changed.
 */
export async function loadDemoData(databaseUrl: string, options: DemoOptions = defaultDemoOptions()): Promise<LoadResult> {
  const world = buildDemoWorld(options);
  const named = world.accounts.filter((a) => !a.loginId.startsWith('scale-'));
  const result = (created: boolean): LoadResult => ({
    created,
    summary: `${world.members.length} members, ${world.accounts.length} accounts, ${world.properties.length} properties, ${world.rooms.length} rooms`,
    password: DEMO_PASSWORD,
    logins: [...named.map((a) => ({ loginId: a.loginId, description: a.description })), { loginId: 'demo-operator', description: 'back-office operator (log in with operatorLogin; scope operator)' }],
  });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The loader writes every member's rows: row-level security's system scope (binds an owner that is no superuser).
    await client.query(`select set_config('portal.scope', 'system', false)`);
    const { rows } = await client.query("select 1 from tenancy.member where member_number = '10000001'");
    if (rows.length > 0) return result(false);
    const seeders = await Promise.all(SEED_ORDER.map(async (name) => [name, await loadSeeder(name)] as const));
    await client.query('begin');
    for (const [schema, seed] of seeders) {
      // A database with only some subgraphs migrated (tests that run a few) gets only their parts.
      const exists = schema === 'tenancy' || (await client.query('select 1 from information_schema.schemata where schema_name = $1', [schema])).rows.length > 0;
      if (exists) await seed(client, world);
    }
    await client.query('commit');
    return result(true);
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
