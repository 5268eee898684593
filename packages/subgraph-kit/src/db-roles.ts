import type pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { assertSqlIdentifier } from '@portal/platform';

/**
 * Each subgraph's run-time database role (ARCHITECTURE.md 16): not a superuser, not the owner of its
 * tables, without BYPASSRLS, so PostgreSQL's row-level security applies to everything it does.
 * Migrations run as the owner (`DATABASE_URL`) and then call `ensureSubgraphRole`.
 */
export function subgraphRoleName(schema: string): string {
  return `portal_${assertSqlIdentifier(schema, 'schema')}`;
}

/**
 * Creates the role if it is missing and grants it exactly what the subgraph's code needs: use of
 * its own schema, rows of its tables, its sequences and functions. Nothing on other schemas, the
 * job queue schemas (pg-boss connects as the owner) or the migrations table.
 *
 * Roles are cluster-wide while the advisory lock of `migrate` is per database, so two databases
 * migrating at once (parallel test files) may both try to create it: the loser's
 * duplicate_object / unique_violation is ignored. The role is never ALTERed here (concurrent ALTERs
 * of one role fail with "tuple concurrently updated"); `assertRunTimeRole` checks its attributes at boot.
 * It logs in without a password: trust on a developer's machine; elsewhere a DBA sets one
 * (`ALTER ROLE portal_<subgraph> PASSWORD …`) and the subgraph gets `PORTAL_DB_APP_URL`.
 */
export async function ensureSubgraphRole(client: pg.Client, schema: string): Promise<void> {
  const role = subgraphRoleName(schema);
  await client.query(`
    do $$ begin
      create role ${role} login nosuperuser nocreatedb nocreaterole nobypassrls noinherit;
    exception when duplicate_object or unique_violation then null;
    end $$`);
  await client.query(`
    grant usage on schema ${schema} to ${role};
    grant select, insert, update, delete on all tables in schema ${schema} to ${role};
    grant usage, select on all sequences in schema ${schema} to ${role};
    grant execute on all functions in schema ${schema} to ${role};
    revoke all on ${schema}.mikro_orm_migrations from ${role};`);
  // Without `PORTAL_DB_APP_URL` the subgraph logs in as the owner and switches with `-c role=…`;
  // a superuser may do that anyway, a plain owner needs membership.
  await client.query(`
    do $$ begin
      if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant %I to %I', '${role}', current_user);
      end if;
    exception when duplicate_object or unique_violation or insufficient_privilege then null;
    end $$`);
}

/**
 * The URL the subgraph's ORM and background pools use at run time: `PORTAL_DB_APP_URL` (a real log-in
 * as the subgraph's role; preferred), else `DATABASE_URL` with the libpq start-up option
 * `-c role=portal_<subgraph>`. The latter keeps one URL for development, at a price: the session
 * user is still the owner, and a statement that says `RESET ROLE` gets the owner's rights back
 * (a superuser's, on a developer's machine). Row-level security here defends against a missing
 * filter in our code, not against SQL injection, and that trade-off is documented.
 */
export function appDatabaseUrl(schema: string, databaseUrl: string, appUrl: string | undefined): string {
  if (appUrl) return appUrl;
  const url = new URL(databaseUrl);
  const options = [url.searchParams.get('options'), `-c role=${subgraphRoleName(schema)}`].filter(Boolean).join(' ');
  url.searchParams.set('options', options);
  return url.toString();
}

/**
 * Refuses to serve when the ORM's role could read past row-level security: a superuser, a role
 * with BYPASSRLS, or the owner of a table of the schema (an owner escapes unless FORCE is set, and
 * could drop the policies).
 */
export async function assertRunTimeRole(orm: MikroORM, schema: string): Promise<void> {
  const rows = await orm.em.getConnection().execute<{ role: string; rolsuper: boolean; rolbypassrls: boolean; owns: number }[]>(
    `select current_user as role, r.rolsuper, r.rolbypassrls,
            (select count(*)::int from pg_tables t where t.schemaname = ? and t.tableowner = current_user) as owns
       from pg_roles r where r.rolname = current_user`,
    [schema],
  );
  const row = rows[0];
  if (!row || row.rolsuper || row.rolbypassrls || row.owns > 0) {
    throw new Error(
      `The ${schema} subgraph must connect as its own role (${subgraphRoleName(schema)}): ${row?.role ?? 'unknown'} is ` +
        (row?.rolsuper ? 'a superuser' : row?.rolbypassrls ? 'BYPASSRLS' : 'the owner of its tables') +
        '. Set PORTAL_DB_APP_URL to a login of that role, or leave it unset to switch roles on DATABASE_URL.',
    );
  }
}
