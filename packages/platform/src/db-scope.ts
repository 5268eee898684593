import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whose rows a piece of work may see through PostgreSQL row-level security, the second line behind
 * the ORM's member filter (docs/architecture.md, "Row-level security").
 *
 * The scope travels with the async call chain (AsyncLocalStorage), and every connection the ORM
 * reserves from its pool is stamped with it (`dbScopeSettings`) before its first statement: so a
 * request's reads, its transactions and its raw SQL all run with the request's member, and a pooled
 * connection never keeps the previous user's member (it is overwritten on every reservation).
 *
 * - `member`: the request of a member account; policies show that member's rows only.
 * - `system`: work that is across members by design. Only these enter it, each naming why:
 *   job handlers and event consumers (`JobQueue.work`/`runDue`), the operator back office (the
 *   subgraph server, for an identity of kind `operator`), login (before any member is known), and
 *   background pools (`createSqlPool`). `grep -rn "runAsSystem(" ` lists them all.
 * - `none` (no scope at all): anything else, e.g. an anonymous request; policies show no member's rows.
 */
export type DbScope = { kind: 'member'; memberId: string } | { kind: 'system'; reason: string };

const storage = new AsyncLocalStorage<DbScope>();

/** Runs `fn` (and everything it starts) as the given member. */
export function runAsMember<T>(memberId: string, fn: () => T): T {
  return storage.run({ kind: 'member', memberId }, fn);
}

/** Runs `fn` (and everything it starts) across members; `reason` says why, for the reader and the log. */
export function runAsSystem<T>(reason: string, fn: () => T): T {
  return storage.run({ kind: 'system', reason }, fn);
}

/** Runs `fn` with no scope: no member's rows are visible to it. */
export function runWithoutScope<T>(fn: () => T): T {
  return storage.exit(fn);
}

export function currentDbScope(): DbScope | undefined {
  return storage.getStore();
}

/** The custom settings the row-level security policies read (`current_setting(name, true)`). */
export const DB_MEMBER_SETTING = 'portal.member_id';
export const DB_SCOPE_SETTING = 'portal.scope';

/**
 * One statement that stamps a connection with the scope (session level: it must survive the
 * transactions that follow on the same reservation). Both settings are always written, so nothing
 * of a previous reservation survives; an empty member id matches no row.
 */
export function dbScopeStatement(scope: DbScope | undefined = currentDbScope()): { sql: string; params: string[] } {
  return {
    sql: `select set_config('${DB_MEMBER_SETTING}', $1, false), set_config('${DB_SCOPE_SETTING}', $2, false)`,
    params: [scope?.kind === 'member' ? scope.memberId : '', scope?.kind === 'system' ? 'system' : ''],
  };
}

/** libpq startup options that pin a connection to the system scope for its whole life (background pools). */
export const SYSTEM_SCOPE_STARTUP_OPTIONS = `-c ${DB_SCOPE_SETTING}=system`;
