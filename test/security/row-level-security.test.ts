import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadDemoData, defaultDemoOptions } from '@portal/demo-data';
import { startStack, roleUrl, type Stack, type SubgraphName } from '@portal/testing';
import { MEMBER_POLICY, appDatabaseUrl, assertRunTimeRole, initOrm, subgraphRoleName } from '@portal/subgraph-kit';
import { runAsMember, runAsSystem } from '@portal/platform';
import { billing } from '@portal/billing';
import { contracts } from '@portal/contracts';
import { smartlock } from '@portal/smartlock';
import { tenancy } from '@portal/tenancy';

/**
 * Row-level security, the second line behind the ORM's member filter (issue 10, item 13): all four
 * subgraphs migrated into one fresh database by the stack, the demo world loaded, then
 * - the schema: every table is either member-scoped (RLS enabled + forced, policy `member_rows` on
 *   the member setting) or listed in the subgraph's `sharedTables`; a table with a `member_id`
 *   column is never "shared"; each subgraph's role is no superuser, no owner, no BYPASSRLS;
 * - the data, as each subgraph's own role over its own log-in: without the member setting no row of
 *   any member-scoped table; with member A's setting exactly A's rows (the owner's count is the
 *   control); with the system scope every row;
 * - the pool: the member a request stamped on a pooled connection never reaches the next user.
 */
const DEFS = { billing, contracts, smartlock, tenancy } as const;
const NAMES = Object.keys(DEFS) as SubgraphName[];

let stack: Stack;
let memberA: string;
let memberB: string;
const roles = new Map<SubgraphName, pg.Client>();

interface ScopedTable {
  schema: string;
  table: string;
  column: string;
}
let scoped: ScopedTable[] = [];

beforeAll(async () => {
  stack = await startStack();
  await loadDemoData(stack.database.url, { ...defaultDemoOptions(new Date('2026-11-22T00:00:00Z')), invoiceMonths: 2 });
  const members = await stack.sql<{ id: string }>("select id from tenancy.member where member_number in ('10000001', '10000002') order by member_number");
  [memberA, memberB] = members.map((m) => m.id) as [string, string];
  for (const name of NAMES) {
    const client = new pg.Client({ connectionString: roleUrl(stack.database.url, subgraphRoleName(name)) });
    await client.connect();
    roles.set(name, client);
  }
  // The policies' member column, as PostgreSQL has them (the schema test below checks there is one per table).
  scoped = await stack.sql<ScopedTable>(
    `select c.relnamespace::regnamespace::text as schema, c.relname as table,
            case when c.relname = 'member' and c.relnamespace::regnamespace::text = 'tenancy' then 'id' else 'member_id' end as column
       from pg_class c
      where c.relkind = 'r' and c.relnamespace::regnamespace::text = any($1) and c.relrowsecurity
      order by 1, 2`,
    [NAMES],
  );
}, 300_000);

afterAll(async () => {
  for (const client of roles.values()) await client.end();
  await stack?.stop();
});

describe('the schema', () => {
  it.each(NAMES)('%s: every table is member-scoped (RLS enabled and forced, member_rows policy) or listed as shared', async (name) => {
    const tables = await stack.sql<{ table: string; rls: boolean; forced: boolean; has_member_id: boolean; policy: string | null }>(
      `select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'member_id' and not a.attisdropped) as has_member_id,
              (select pg_get_expr(p.polqual, p.polrelid) from pg_policy p where p.polrelid = c.oid and p.polname = $2
                 and p.polcmd = '*' and p.polwithcheck is not null) as policy
         from pg_class c where c.relkind in ('r', 'p') and c.relnamespace = $1::regnamespace order by 1`,
      [name, MEMBER_POLICY],
    );
    const shared = DEFS[name].sharedTables;
    const problems: string[] = [];
    for (const t of tables) {
      if (t.table in shared) {
        if (t.has_member_id) problems.push(`${name}.${t.table} has member_id but is listed as shared`);
        continue;
      }
      if (!t.rls || !t.forced) problems.push(`${name}.${t.table}: row-level security ${t.rls ? 'not forced' : 'not enabled'}`);
      if (!t.policy) problems.push(`${name}.${t.table}: no ${MEMBER_POLICY} policy (for all commands, with check)`);
      else if (!t.policy.includes("current_setting('portal.member_id'")) problems.push(`${name}.${t.table}: ${MEMBER_POLICY} does not read portal.member_id: ${t.policy}`);
    }
    for (const table of Object.keys(shared)) {
      if (!tables.some((t) => t.table === table)) problems.push(`${name}.sharedTables lists ${table}, which does not exist`);
    }
    expect(problems).toEqual([]);
    // Not vacuous: each subgraph has member-scoped tables.
    expect(tables.filter((t) => !(t.table in shared)).length).toBeGreaterThan(0);
  });

  it.each(NAMES)('%s: the run-time role is no superuser, no owner, no BYPASSRLS, and has nothing on other schemas', async (name) => {
    const role = subgraphRoleName(name);
    const [row] = await stack.sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean; rolcreatedb: boolean; owns: number; create_here: boolean; others: string[] }>(
      `select r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
              (select count(*)::int from pg_class c where c.relowner = r.oid) as owns,
              has_schema_privilege(r.rolname, $2, 'CREATE') as create_here,
              array(select n.nspname::text from pg_namespace n where n.nspname = any($3) and n.nspname <> $2
                     and has_schema_privilege(r.rolname, n.nspname, 'USAGE')) as others
         from pg_roles r where r.rolname = $1`,
      [role, name, [...NAMES, `${name}_jobs`, 'portal_events']],
    );
    expect(row).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, owns: 0, create_here: false, others: [] });
    // And the subgraph really runs as it (the stack logs each one in as its role).
    const [current] = await stack.subgraphs[name]!.orm.em.getConnection().execute<{ user: string }[]>('select current_user as user');
    expect(current!.user).toBe(role);
  });
});

describe("as each subgraph's own role", () => {
  const countAs = async (name: SubgraphName, t: ScopedTable, settings: { member?: string; scope?: string }) => {
    const client = roles.get(name)!;
    await client.query('begin');
    try {
      if (settings.member) await client.query("select set_config('portal.member_id', $1, true)", [settings.member]);
      if (settings.scope) await client.query("select set_config('portal.scope', $1, true)", [settings.scope]);
      const { rows } = await client.query<{ total: number; others: number }>(
        `select count(*)::int as total, count(*) filter (where ${t.column} is distinct from $1::uuid)::int as others from ${t.schema}.${t.table}`,
        [settings.member ?? memberA],
      );
      return rows[0]!;
    } finally {
      await client.query('rollback');
    }
  };

  it.each(NAMES)('%s: without the member setting no rows; with member A only A\'s rows; with the system scope all rows', async (name) => {
    const tables = scoped.filter((t) => t.schema === name);
    expect(tables.length).toBeGreaterThan(0);
    let withData = 0;
    for (const t of tables) {
      // The owner (a superuser here) sees everything: the control.
      const [owner] = await stack.sql<{ total: number; of_a: number; members: number }>(
        `select count(*)::int as total, count(*) filter (where ${t.column} = $1)::int as of_a, count(distinct ${t.column})::int as members from ${t.schema}.${t.table}`,
        [memberA],
      );
      const none = await countAs(name, t, {});
      expect(none.total, `${t.schema}.${t.table} without a member`).toBe(0);
      const asA = await countAs(name, t, { member: memberA });
      expect({ table: t.table, total: asA.total, others: asA.others }).toEqual({ table: t.table, total: owner!.of_a, others: 0 });
      const asB = await countAs(name, t, { member: memberB });
      expect(asB.others, `${t.schema}.${t.table} as member B`).toBe(0);
      const system = await countAs(name, t, { scope: 'system' });
      expect(system.total, `${t.schema}.${t.table} as system`).toBe(owner!.total);
      if (owner!.members >= 2 && owner!.of_a > 0) withData += 1;
    }
    // Not vacuous: in each subgraph some tables hold rows of A and of another member.
    expect(withData).toBeGreaterThan(0);
  });

  it("refuses to move a row to another member (the policy's WITH CHECK)", async () => {
    const client = roles.get('billing')!;
    await client.query('begin');
    try {
      await client.query("select set_config('portal.member_id', $1, true)", [memberA]);
      await expect(client.query('update billing.invoice set member_id = $1 where member_id = $2', [memberB, memberA])).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('rollback');
    }
  });
});

describe('the ORM pool', () => {
  it("stamps each reservation with the caller's scope, so a member never leaks into the next user of a connection", async () => {
    const orm = stack.subgraphs.billing!.orm;
    const members = () => orm.em.getConnection().execute<{ member_id: string }[]>('select distinct member_id from billing.invoice order by 1');
    // Sequential calls on a small pool reuse the same connections.
    for (let i = 0; i < 3; i++) {
      expect(await runAsMember(memberA, members)).toEqual([{ member_id: memberA }]);
      expect(await members()).toEqual([]);
      expect(await runAsMember(memberB, members)).toEqual([{ member_id: memberB }]);
      expect((await runAsSystem('test: every member', members)).length).toBeGreaterThan(1);
    }
    // Inside a transaction too: the scope is set when the transaction's connection is reserved.
    const inTx = await runAsMember(memberA, () => orm.em.fork().transactional((em) => em.execute<{ member_id: string }[]>('select distinct member_id from billing.invoice')));
    expect(inTx).toEqual([{ member_id: memberA }]);
  });
});

describe('without PORTAL_DB_APP_URL (development: one URL)', () => {
  it("switches the owner's connection to the subgraph's role, and the policies apply", async () => {
    const orm = await initOrm({ schema: 'billing', databaseUrl: appDatabaseUrl('billing', stack.database.url, undefined), entities: billing.entities, migrations: billing.migrations, poolSize: 1 });
    try {
      const conn = orm.em.getConnection();
      expect(await conn.execute('select current_user as role, session_user as login')).toEqual([{ role: 'portal_billing', login: new URL(stack.database.url).username }]);
      await expect(assertRunTimeRole(orm, 'billing')).resolves.toBeUndefined();
      expect(await conn.execute('select count(*)::int as n from billing.invoice')).toEqual([{ n: 0 }]);
      expect(await runAsMember(memberA, () => conn.execute('select distinct member_id from billing.invoice'))).toEqual([{ member_id: memberA }]);
    } finally {
      await orm.close(true);
    }
  });

  it('refuses to serve as the owner itself', async () => {
    const orm = await initOrm({ schema: 'billing', databaseUrl: stack.database.url, entities: billing.entities, migrations: billing.migrations, poolSize: 1 });
    try {
      await expect(assertRunTimeRole(orm, 'billing')).rejects.toThrow(/must connect as its own role \(portal_billing\)/);
    } finally {
      await orm.close(true);
    }
  });
});
