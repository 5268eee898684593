import { createHash } from 'node:crypto';
import { clientAddressBucket } from '@portal/auth';
import { assertSqlIdentifier, type SqlExecutor } from '@portal/platform';
import { afterFailure, attemptVerdict, type AttemptCounter, type AttemptKeyKind, type AttemptVerdict } from './attempt-limit.rule.ts';

/**
 * The PostgreSQL store of the attempt limiter (attempt-limit.rule.ts). Each subgraph keeps its own
 * table in its own schema (create it in a migration with `attemptCounterDdl`), so counters are
 * shared by every replica and survive restarts.
 *
 * An attempt runs `check` then `settle` inside ONE transaction of the caller: `check` locks the three
 * counter rows (the same rows, in the same order, for every attempt on the same key, so concurrent
 * attempts queue instead of all reading the same count: fifty aliased logins in one request are
 * fifty failures, not one). Every attempt makes the same two statements whatever its outcome, so
 * the database work does not tell a right secret from a wrong one or a known subject from an unknown.
 * Counters run on the database's clock (like sessions): the business clock tests move must not
 * open or close a window.
 */
export function attemptCounterDdl(schema: string): string {
  const table = `${assertSqlIdentifier(schema, 'schema')}.attempt_counter`;
  return `
CREATE TABLE ${table} (
  purpose text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('address', 'subject', 'pair')),
  key text NOT NULL,
  subject text NOT NULL,
  failures integer NOT NULL CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL,
  PRIMARY KEY (purpose, kind, key)
);
CREATE INDEX attempt_counter_subject_idx ON ${table} (purpose, subject);
CREATE INDEX attempt_counter_window_idx ON ${table} (window_started_at);
`;
}

/** One check of a secret: what it is for (`login`, `operator-login`, `password-change`, …), from where, against whom. */
export interface Attempt {
  purpose: string;
  /** The client address the gateway saw (IPv6 counted by its /64). */
  clientIp: string;
  /** Who the secret is checked for, as the client named it (a login ID: known or not, it is counted the same). */
  subject: string;
}

export interface AttemptCheck {
  readonly purpose: string;
  verdict: AttemptVerdict;
  /** The database's time of the check. */
  now: Date;
  readonly keys: Readonly<Record<AttemptKeyKind, string>>;
  readonly counters: Readonly<Record<AttemptKeyKind, AttemptCounter>>;
}

export type AttemptOutcome =
  /** The secret was refused: every key counts one failure, or all but the subject's when `countSubject` is false. */
  | { failed: true; countSubject?: boolean }
  /** The secret was accepted: the pair starts again from zero (the address and subject keep their counts). */
  | { failed: false };

const KINDS = ['address', 'subject', 'pair'] as const;

/** The subject as stored: a hash, because a typed login ID may be a password typed in the wrong field. */
export function attemptSubjectKey(purpose: string, subject: string): string {
  return createHash('sha256').update(`${purpose}\u0000${subject}`).digest('base64url');
}

export class AttemptLimiter {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `${assertSqlIdentifier(schema, 'schema')}.attempt_counter`;
  }

  /** Locks and reads the attempt's counters in the caller's transaction, and judges the attempt. */
  async check(exec: SqlExecutor, attempt: Attempt): Promise<AttemptCheck> {
    const address = clientAddressBucket(attempt.clientIp);
    const subject = attemptSubjectKey(attempt.purpose, attempt.subject);
    const keys = { address, subject, pair: `${address}|${subject}` };
    const p = attempt.purpose;
    // DO UPDATE (to the same value) rather than DO NOTHING: it locks an existing row and returns it.
    const { rows } = await exec.query(
      `INSERT INTO ${this.table} AS c (purpose, kind, key, subject, failures, window_started_at)
       VALUES ($1, 'address', $2, '', 0, now()), ($3, 'subject', $4, $5, 0, now()), ($6, 'pair', $7, $8, 0, now())
       ON CONFLICT (purpose, kind, key) DO UPDATE SET failures = c.failures
       RETURNING c.kind, c.failures, c.window_started_at, now() AS db_now`,
      [p, keys.address, p, keys.subject, subject, p, keys.pair, subject],
    );
    const counters = {} as Record<AttemptKeyKind, AttemptCounter>;
    for (const row of rows) counters[row.kind as AttemptKeyKind] = { failures: Number(row.failures), windowStartedAt: new Date(row.window_started_at as string | Date) };
    const now = new Date(rows[0]!.db_now as string | Date);
    return { purpose: p, verdict: attemptVerdict(counters, now), now, keys, counters };
  }

  /** Records the outcome of a checked attempt (same transaction as `check`). One statement, whatever the outcome. */
  async settle(exec: SqlExecutor, check: AttemptCheck, outcome: AttemptOutcome): Promise<void> {
    const next = (kind: AttemptKeyKind): AttemptCounter => {
      const current = check.counters[kind];
      if (!outcome.failed) return kind === 'pair' ? { failures: 0, windowStartedAt: check.now } : current;
      if (kind === 'subject' && outcome.countSubject === false) return current;
      return afterFailure(current, check.now);
    };
    const params: unknown[] = [];
    const values = KINDS.map((kind) => {
      const counter = next(kind);
      params.push(kind, check.keys[kind], counter.failures, counter.windowStartedAt.toISOString());
      return `($${params.length - 3}, $${params.length - 2}, CAST($${params.length - 1} AS integer), CAST($${params.length} AS timestamptz))`;
    });
    params.push(check.purpose);
    await exec.query(
      `UPDATE ${this.table} AS c SET failures = v.failures, window_started_at = v.window_started_at
         FROM (VALUES ${values.join(', ')}) AS v(kind, key, failures, window_started_at)
        WHERE c.kind = v.kind AND c.key = v.key AND c.purpose = $${params.length}`,
      params,
    );
  }

  /** Forgets every counter of a subject (an administrator reset its password): its blocks end at once. */
  async forgetSubject(exec: SqlExecutor, purpose: string, subject: string): Promise<void> {
    await exec.query(`DELETE FROM ${this.table} WHERE purpose = $1 AND subject = $2`, [purpose, attemptSubjectKey(purpose, subject)]);
  }

  /** Deletes counters whose window ended long ago (they count as zero anyway); returns how many. */
  async prune(exec: SqlExecutor, olderThanMs: number): Promise<number> {
    const { rows } = await exec.query(`WITH gone AS (DELETE FROM ${this.table} WHERE window_started_at < now() - CAST($1 AS interval) RETURNING 1) SELECT count(*) AS n FROM gone`, [`${Math.round(olderThanMs / 1000)} seconds`]);
    return Number(rows[0]?.n ?? 0);
  }
}
