import pg from 'pg';
import { hashPassword } from '@portal/tenancy';
import { buildDemoWorld, DEMO_PASSWORD, type DemoOptions, type DemoWorld } from './world.ts';
import { seedTenancy } from './seeders/tenancy.ts';
import { seedSmartlock } from './seeders/smartlock.ts';
import { seedContracts } from './seeders/contracts.ts';
import { seedBilling } from './seeders/billing.ts';
import { seedMemberRefs } from './seeders/member-ref.ts';

/** A seeder per subgraph, each writing only its own schema; run after tenancy's, when that schema exists. */
export type Seeder = (client: pg.ClientBase, world: DemoWorld) => Promise<void>;
const seeders: { schema: string; seed: Seeder }[] = [
  { schema: 'smartlock', seed: seedSmartlock },
  { schema: 'contracts', seed: seedContracts },
  { schema: 'billing', seed: seedBilling },
  { schema: 'billing', seed: seedMemberRefs },
];

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
    const hash = await hashPassword(DEMO_PASSWORD);
    await client.query('begin');
    await seedTenancy(client, world, hash);
    for (const { schema, seed } of seeders) {
      const exists = await client.query('select 1 from information_schema.schemata where schema_name = $1', [schema]);
      if (exists.rows.length > 0) await seed(client, world);
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
