import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { LockWaitTimeoutException, Utils, helper, type EntityClass } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { configure } from 'safe-stable-stringify';
import { assertSqlIdentifier, fromMikroOrm, type Clock, type JobQueue } from '@portal/platform';
import type { Identity } from '@portal/auth';
import { MEMBER_FILTER } from './member-filter.ts';
import { userError, type Messages, type UserError } from './user-errors.ts';

/**
 * Idempotency keys for mutations whose effect must not happen twice (a filing, a password reset, a
 * print count, a mail). A client that retries after a lost answer sends the same key: the first
 * call's answer comes back and nothing runs again. See docs/architecture.md, "Idempotency keys".
 *
 * The key row is claimed in the same transaction as the effect, before it: a duplicate that arrives
 * while the first runs waits on the primary key (at most `lockTimeout`), then reads the committed
 * answer; if the first fails, its claim rolls back with its effect and the duplicate runs instead.
 */

/** How long a key stays bound to its first answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a duplicate waits for the first call before it is told to retry (IDEMPOTENCY_KEY_IN_PROGRESS). */
export const IDEMPOTENCY_LOCK_TIMEOUT = '3s';
/** The input field (or argument) carrying the key; it is left out of the input fingerprint. */
export const IDEMPOTENCY_KEY_FIELD = 'idempotencyKey';
const KEY_FORMAT = /^[A-Za-z0-9_-]{8,128}$/;

export type IdempotencyErrorCode = 'IDEMPOTENCY_KEY_INVALID' | 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_PROGRESS';

export const IDEMPOTENCY_ERRORS: Record<IdempotencyErrorCode, Messages> = {
  IDEMPOTENCY_KEY_INVALID: {
    en: 'The idempotency key must be 8 to 128 characters of A-Z, a-z, 0-9, "_" and "-".',
    ja: '冪等キーは半角英数字・「_」・「-」の8～128文字で指定してください。',
  },
  IDEMPOTENCY_KEY_REUSED: {
    en: 'This idempotency key was already used for a different request within 24 hours; use a new key for a new request.',
    ja: 'この冪等キーは24時間以内に別の内容の操作で使用されています。新しい操作には新しいキーを指定してください。',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    en: 'A request with this idempotency key is still being processed; retry in a few seconds with the same key.',
    ja: '同じ冪等キーの操作を処理中です。数秒後に同じキーで再度お試しください。',
  },
};

export const idempotencyError = (code: IdempotencyErrorCode, field: string | null = `input.${IDEMPOTENCY_KEY_FIELD}`): UserError<IdempotencyErrorCode> =>
  userError(code, field, IDEMPOTENCY_ERRORS[code]);

/** What `withIdempotency` needs of the request context (a SubgraphContext fits). */
export interface IdempotencyContext {
  identity: Identity;
  em: EntityManager;
  clock: Clock;
  /** The subgraph's schema holds its `idempotency_key` table (same as the mail outbox's). */
  services: { subgraph: string };
}

/** The input field a keyed mutation's input carries. */
export interface Keyed {
  idempotencyKey?: string | null;
}

export interface IdempotencySpec<T> {
  /** The mutation's name: a key is bound to one mutation. */
  operation: string;
  /** The client's key; null or absent: the mutation runs as it always did. */
  key: string | null | undefined;
  /** The mutation's input as received (the key field is ignored): a replay must carry the same. */
  input: unknown;
  /** The mutation's payload carrying only this user error (the key is invalid, reused or in use). */
  refused: (error: UserError) => T;
  /** Where the error points; default `input.idempotencyKey`. */
  field?: string;
  lockTimeout?: string;
}

/** DDL of a subgraph's key table, for its migration. `member_id` is the principal's member (null for operators), for row-level security. */
export function idempotencyKeyDdl(schema: string): string {
  const table = `${assertSqlIdentifier(schema, 'schema')}.idempotency_key`;
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  scope text NOT NULL,
  operation text NOT NULL,
  key_digest text NOT NULL,
  member_id uuid,
  fingerprint text NOT NULL,
  answer text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, operation, key_digest)
);
COMMENT ON TABLE ${table} IS 'Idempotency keys of mutations (24 h): the first answer, sealed with a key derived from the client''s idempotency key, which is stored only as a digest.';
CREATE INDEX IF NOT EXISTS idempotency_key_expires_idx ON ${table} (expires_at);
`;
}

/** The principal a key belongs to: another member's or account's identical key is another key. */
export function principalScope(identity: Identity): string {
  return `${identity.kind}:${identity.memberId ?? '-'}:${identity.accountId ?? '-'}`;
}

// Sorted keys, and a refusal (not a silent drop) of anything JSON cannot carry faithfully.
const canonicalJson = configure({ deterministic: true, circularValue: TypeError, bigint: false, strict: true });

const withoutKey = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutKey)
    : value !== null && typeof value === 'object' && !(value instanceof Date)
      ? Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== IDEMPOTENCY_KEY_FIELD && v !== undefined).map(([k, v]) => [k, withoutKey(v)]))
      : value;

/** The input as canonical JSON, without the key itself (so the same request under the same key always matches). */
export function canonicalInput(input: unknown): string {
  return canonicalJson(withoutKey(input ?? null)) ?? 'null';
}

/**
 * The secrets one key yields: the row's digest (the key itself is never stored) and a sealing key,
 * so that a copy of the table alone reveals neither first answers (a generated password) nor a
 * fingerprint to test guessed inputs (a new password) against.
 */
export function keyMaterial(scope: string, operation: string, key: string): { digest: string; secret: Buffer } {
  const digest = createHash('sha256').update(`${scope}\n${operation}\n${key}`).digest('base64url');
  const secret = Buffer.from(hkdfSync('sha256', key, scope, `idempotency:${operation}`, 32));
  return { digest, secret };
}

export function fingerprint(secret: Buffer, input: unknown): string {
  return createHmac('sha256', secret).update(canonicalInput(input)).digest('base64url');
}

export function seal(secret: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function unseal(secret: Buffer, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

/**
 * The answer as JSON. Payloads hold ORM entities (a cancellation, an account) whose other fields
 * resolve later: they are stored by class and id and loaded again on a replay, so the replay
 * resolves the same objects (in their current state) whatever the selection asks of them.
 */
export function encodeAnswer(value: unknown): Encoded {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(encodeAnswer);
  if (Utils.isEntity(value)) {
    const wrapped = helper(value);
    return { $entity: wrapped.__meta.className, id: wrapped.getSerializedPrimaryKey() };
  }
  if (typeof value === 'object') {
    const out: Record<string, Encoded> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeAnswer(v);
    return out;
  }
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  throw new TypeError(`An idempotent answer cannot hold a ${typeof value}`);
}

export async function decodeAnswer(value: Encoded, em: EntityManager, memberScoped: boolean): Promise<unknown> {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => decodeAnswer(v, em, memberScoped)));
  if (typeof value.$date === 'string') return new Date(value.$date);
  if (typeof value.$entity === 'string') {
    const meta = em.getMetadata().getByClassName(value.$entity, false);
    if (!meta) throw new Error(`Unknown entity in a stored answer: ${value.$entity}`);
    // The id came from this principal's own first answer; an operator has no member to filter by.
    return em.findOne(meta.class as EntityClass<object>, value.id as never, memberScoped ? {} : { filters: { [MEMBER_FILTER]: false } });
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await decodeAnswer(v, em, memberScoped);
  return out;
}

class Refused<T> {
  constructor(readonly payload: T) {}
}

/**
 * Runs `run` at most once per (principal, operation, key) within 24 hours, in one transaction with
 * the key row; `run` gets the context with that transaction's EntityManager and must do its writes
 * through it (services already take their `em` from the context). Returns the first answer on a
 * replay with the same input, and `spec.refused(...)` when the key is malformed, was used with
 * another input, or is held by a call still running.
 */
export async function withIdempotency<C extends IdempotencyContext, T>(ctx: C, spec: IdempotencySpec<T>, run: (ctx: C) => Promise<T>): Promise<T> {
  if (spec.key === null || spec.key === undefined) return run(ctx);
  const field = spec.field ?? `input.${IDEMPOTENCY_KEY_FIELD}`;
  if (typeof spec.key !== 'string' || !KEY_FORMAT.test(spec.key)) return spec.refused(idempotencyError('IDEMPOTENCY_KEY_INVALID', field));

  const scope = principalScope(ctx.identity);
  const { digest, secret } = keyMaterial(scope, spec.operation, spec.key);
  const print = fingerprint(secret, spec.input);
  const table = `${assertSqlIdentifier(ctx.services.subgraph, 'schema')}.idempotency_key`;
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);

  try {
    return await ctx.em.transactional(async (tx) => {
      const sql = fromMikroOrm(tx as EntityManager);
      // Bound the wait for a concurrent first call to this statement only; the effect's own locks keep the server's setting.
      const [{ previous }] = (await sql.query(`select current_setting('lock_timeout') as previous, set_config('lock_timeout', $1, true) as applied`, [spec.lockTimeout ?? IDEMPOTENCY_LOCK_TIMEOUT])).rows as [{ previous: string }];
      // A live row blocks the claim (no row returned); an expired one is taken over in the same statement.
      const claimed = await sql.query(
        `insert into ${table} (scope, operation, key_digest, member_id, fingerprint, created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (scope, operation, key_digest) do update set fingerprint = excluded.fingerprint, member_id = excluded.member_id, answer = null, created_at = excluded.created_at, expires_at = excluded.expires_at
         where ${table}.expires_at <= excluded.created_at
         returning 1 as claimed`,
        [scope, spec.operation, digest, ctx.identity.memberId, print, now.toISOString(), expires.toISOString()],
      );
      await sql.query(`select set_config('lock_timeout', $1, true)`, [previous]);

      if (claimed.rows.length === 0) {
        const [row] = (await sql.query(`select fingerprint, answer from ${table} where scope = $1 and operation = $2 and key_digest = $3`, [scope, spec.operation, digest])).rows as { fingerprint: string; answer: string | null }[];
        if (!row || row.fingerprint !== print) throw new Refused(spec.refused(idempotencyError('IDEMPOTENCY_KEY_REUSED', field)));
        if (row.answer === null) throw new Refused(spec.refused(idempotencyError('IDEMPOTENCY_KEY_IN_PROGRESS', field)));
        return (await decodeAnswer(JSON.parse(unseal(secret, row.answer)) as Encoded, tx as EntityManager, !!ctx.identity.memberId)) as T;
      }

      const answer = await run({ ...ctx, em: tx as EntityManager });
      await tx.flush();
      await sql.query(`update ${table} set answer = $1 where scope = $2 and operation = $3 and key_digest = $4`, [seal(secret, JSON.stringify(encodeAnswer(answer))), scope, spec.operation, digest]);
      return answer;
    });
  } catch (error) {
    if (error instanceof Refused) return error.payload as T;
    if (error instanceof LockWaitTimeoutException || (error as { code?: string }).code === '55P03') return spec.refused(idempotencyError('IDEMPOTENCY_KEY_IN_PROGRESS', field));
    throw error;
  }
}

/** Deletes expired keys (the claim also takes an expired key over by itself; this keeps the table small). */
export async function purgeExpiredIdempotencyKeys(em: EntityManager, schema: string, now: Date): Promise<number> {
  const table = `${assertSqlIdentifier(schema, 'schema')}.idempotency_key`;
  const rows = (await fromMikroOrm(em).query(`with gone as (delete from ${table} where expires_at <= $1 returning 1) select count(*)::int as n from gone`, [now.toISOString()])).rows as [{ n: number }];
  return rows[0].n;
}

/** The hourly purge job of a subgraph that keeps keys (`SubgraphDefinition.idempotency`). */
export const IDEMPOTENCY_PURGE_QUEUE = 'idempotency-purge';

export async function scheduleIdempotencyPurge(orm: MikroORM, services: { subgraph: string; clock: Clock; jobs: JobQueue }): Promise<void> {
  await services.jobs.work(IDEMPOTENCY_PURGE_QUEUE, async () => {
    await purgeExpiredIdempotencyKeys(orm.em.fork() as EntityManager, services.subgraph, services.clock.now());
  }, { pollingIntervalSeconds: 60 });
  await services.jobs.schedule(IDEMPOTENCY_PURGE_QUEUE, '17 * * * *');
}

/**
 * A mutation resolver with an idempotency key in `input.idempotencyKey`: `resolve` runs (with the
 * transaction's context) at most once per key; `empty` is the payload's shape beside `userErrors`
 * when the key is refused. The operation is the field's name, so a key never crosses mutations.
 */
export function idempotent<A extends { input: { idempotencyKey?: string | null } }, C extends IdempotencyContext, T extends { userErrors: unknown[] }>(
  empty: Omit<T, 'userErrors'>,
  resolve: (args: A, ctx: C) => Promise<T>,
): (parent: unknown, args: A, ctx: C, info: { fieldName: string }) => Promise<T> {
  return (_parent, args, ctx, info) =>
    withIdempotency(ctx, { operation: info.fieldName, key: args.input.idempotencyKey, input: args, refused: (error) => ({ ...empty, userErrors: [error] }) as T }, (tx) => resolve(args, tx));
}
