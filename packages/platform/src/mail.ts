/**
 * Outbox-based mail: a business change and the mail it causes commit in one transaction
 * (`enqueueMail` with the caller's transaction), and a deliverer sends pending rows later, with
 * retries. A crash or an SMTP outage therefore never loses a mail; in the rare case a process dies
 * after the SMTP server accepted a mail but before its row was marked sent, the mail is sent again
 * (at-least-once, the usual outbox trade-off).
 *
 * Wiring in a subgraph:
 * 1. its migration runs `mailOutboxDdl('<its schema>')`;
 * 2. services call `enqueueMail(fromMikroOrm(em), '<schema>', mail)` inside `em.transactional`;
 * 3. at start-up: `scheduleMailDelivery(jobs, createMailDeliverer({ pool, schema, transport, from, clock }), '<schema>-mail')`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type pg from 'pg';
import { z } from 'zod';
import type { Clock } from './clock.ts';
import type { JobQueue } from './jobs.ts';
import { assertSqlIdentifier, type SqlExecutor } from './sql.ts';

/** Lifecycle of an outbox row. */
export type MailStatus = 'pending' | 'sent' | 'failed';

const noLineBreaks = (value: string) => !/[\r\n]/.test(value);
const addressList = z.union([z.email(), z.array(z.email())]).transform((value) => (Array.isArray(value) ? value : [value]));

/** What a caller may enqueue; validated with zod before anything is written. */
export const mailSchema = z.object({
  to: addressList.refine((list) => list.length >= 1 && list.length <= 50, 'between 1 and 50 recipients'),
  cc: addressList.refine((list) => list.length <= 50, 'at most 50 cc recipients').default([]),
  subject: z.string().min(1).max(255).refine(noLineBreaks, 'subject must be a single line'),
  text: z.string().min(1),
  html: z.string().min(1).optional(),
});

/** A mail as callers write it (a single address or a list for `to`/`cc`). */
export type MailInput = z.input<typeof mailSchema>;
/** A mail after validation (address lists normalised). */
export type Mail = z.output<typeof mailSchema>;

/** One row of `<schema>.mail_outbox`. */
export interface OutboxMail extends Mail {
  readonly id: string;
  readonly status: MailStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: Date | null;
  readonly messageId: string | null;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

/** Thrown by `enqueueMail` when the mail does not validate (nothing is written). */
export class MailValidationError extends Error {
  override readonly name = 'MailValidationError';
  constructor(readonly issues: z.core.$ZodIssue[]) {
    super(`Invalid mail: ${issues.map((issue) => `${issue.path.join('.') || '(mail)'}: ${issue.message}`).join('; ')}`);
  }
}

/**
 * DDL for the outbox table and its pending index, for a subgraph's migration (idempotent).
 * `next_attempt_at` is NULL for a fresh mail (due at once) and set after a failed attempt.
 */
export function mailOutboxDdl(schema: string): string {
  const table = `${assertSqlIdentifier(schema, 'schema')}.mail_outbox`;
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "to" text[] NOT NULL CHECK (cardinality("to") >= 1),
  cc text[] NOT NULL DEFAULT '{}',
  subject text NOT NULL,
  text text NOT NULL,
  html text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz,
  message_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS mail_outbox_pending_idx ON ${table} (created_at, id) WHERE status = 'pending';
`;
}

/**
 * Validates `mail` and inserts it as pending through `exec`: pass the transaction the business
 * change runs in, so both commit or neither does. Returns the outbox id.
 */
export async function enqueueMail(exec: SqlExecutor, schema: string, mail: MailInput): Promise<string> {
  const parsed = mailSchema.safeParse(mail);
  if (!parsed.success) throw new MailValidationError(parsed.error.issues);
  const { to, cc, subject, text, html } = parsed.data;
  // Arrays travel as JSON text: every adapter (pg, MikroORM, knex) binds a string the same way.
  const { rows } = await exec.query(
    `INSERT INTO ${assertSqlIdentifier(schema, 'schema')}.mail_outbox ("to", cc, subject, text, html)
     VALUES (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)), ARRAY(SELECT jsonb_array_elements_text($2::jsonb)), $3, $4, $5)
     RETURNING id`,
    [JSON.stringify(to), JSON.stringify(cc), subject, text, html ?? null],
  );
  const id = rows[0]?.id;
  if (typeof id !== 'string') throw new Error('enqueueMail: INSERT returned no id');
  return id;
}

/** A message ready for a transport. */
export interface OutgoingMessage extends Mail {
  readonly from: string;
  /** Outbox id; transports may use it (the file catcher names files after it). */
  readonly outboxId: string;
}

/** Sends one message; throwing means "not sent, try again later". */
export interface MailTransport {
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
  /** Releases connections (SMTP pool). */
  close?(): void;
}

/** Production transport: nodemailer SMTP from a URL such as `smtps://user:pass@smtp.example.jp:465`. */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(message) {
      const info = await transporter.sendMail(toNodemailer(message));
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

/**
 * Development transport: writes each message as `<dir>/<outboxId>.eml` (open it in any mail
 * client) instead of sending it. Bodies are base64 so the files stay 7-bit and easy to decode.
 */
export function fileCatcherTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transporter.sendMail({ ...toNodemailer(message), textEncoding: 'base64' });
      if (!Buffer.isBuffer(info.message)) throw new Error('fileCatcherTransport: expected a buffered message');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${message.outboxId}.eml`), info.message);
      return { messageId: info.messageId };
    },
  };
}

function toNodemailer(message: OutgoingMessage) {
  return {
    from: message.from,
    to: message.to,
    ...(message.cc.length > 0 ? { cc: message.cc } : {}),
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
  };
}

/** Options of `createMailDeliverer`. */
export interface MailDelivererOptions {
  /** Pool of the database holding the outbox (the deliverer opens its own short transactions). */
  pool: pg.Pool;
  schema: string;
  transport: MailTransport;
  /** Sender address, e.g. '"法人ポータル" <no-reply@example.jp>'. */
  from: string;
  /** Time of sent_at and of retry back-off. */
  clock: Clock;
  /** Attempts before a mail is marked failed (default 5). */
  maxAttempts?: number;
  /** Delay before retry n (1-based), in ms (default: 1, 2, 4, 8 … minutes, capped at 1 hour). */
  backoffMs?: (attempt: number) => number;
}

/** Result of one delivery run. */
export interface DeliveryReport {
  readonly sent: number;
  /** Attempts that failed but will be retried. */
  readonly retrying: number;
  /** Mails that have now failed for good. */
  readonly failed: number;
}

/** Sends pending outbox mails; safe to run from several processes at once. */
export interface MailDeliverer {
  /** Sends every mail that is due now (up to `limit`, default 100), one transaction per mail. */
  deliverPending(limit?: number): Promise<DeliveryReport>;
}

/**
 * Creates the deliverer. Each mail is claimed with `SELECT … FOR UPDATE SKIP LOCKED` in its own
 * transaction, which stays open while the transport sends it: a concurrent deliverer skips it, and
 * a crash rolls the claim back so the mail stays pending.
 */
export function createMailDeliverer(options: MailDelivererOptions): MailDeliverer {
  const table = `${assertSqlIdentifier(options.schema, 'schema')}.mail_outbox`;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? ((attempt: number) => Math.min(2 ** (attempt - 1) * 60_000, 3_600_000));

  async function deliverOne(): Promise<'sent' | 'retrying' | 'failed' | 'none'> {
    const client = await options.pool.connect();
    try {
      await client.query('BEGIN');
      const now = options.clock.now();
      const { rows } = await client.query<OutboxRow>(
        `SELECT * FROM ${table}
          WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
          ORDER BY created_at, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [now],
      );
      const row = rows[0];
      if (!row) {
        await client.query('COMMIT');
        return 'none';
      }
      const mail = fromRow(row);
      let outcome: 'sent' | 'retrying' | 'failed';
      try {
        const { messageId } = await options.transport.send({ ...mail, from: options.from, outboxId: mail.id });
        await client.query(
          `UPDATE ${table} SET status = 'sent', attempts = attempts + 1, sent_at = $1, message_id = $2, last_error = NULL, next_attempt_at = NULL WHERE id = $3`,
          [now, messageId, mail.id],
        );
        outcome = 'sent';
      } catch (error) {
        const attempts = mail.attempts + 1;
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
        outcome = attempts >= maxAttempts ? 'failed' : 'retrying';
        await client.query(
          `UPDATE ${table} SET status = $1, attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $5`,
          [
            outcome === 'failed' ? 'failed' : 'pending',
            attempts,
            message,
            outcome === 'failed' ? null : new Date(now.getTime() + backoffMs(attempts)),
            mail.id,
          ],
        );
      }
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    async deliverPending(limit = 100) {
      const report = { sent: 0, retrying: 0, failed: 0 };
      for (let n = 0; n < limit; n += 1) {
        const outcome = await deliverOne();
        if (outcome === 'none') break;
        report[outcome] += 1;
      }
      return report;
    },
  };
}

/**
 * Runs the deliverer from the job queue: every minute by cron (Asia/Tokyo), and whenever a service
 * calls `jobs.send(queueName, {})` after committing mail it wants out sooner. Use one queue name
 * per subgraph (e.g. 'billing-mail') when subgraphs share the pg-boss schema.
 */
export async function scheduleMailDelivery(jobs: JobQueue, deliverer: MailDeliverer, queueName: string): Promise<void> {
  await jobs.schedule(queueName, '* * * * *');
  await jobs.work(queueName, async () => {
    await deliverer.deliverPending();
  });
}

/** All outbox rows, oldest first: for tests and operator tools. */
export async function readOutbox(exec: SqlExecutor, schema: string): Promise<OutboxMail[]> {
  const { rows } = await exec.query(
    `SELECT * FROM ${assertSqlIdentifier(schema, 'schema')}.mail_outbox ORDER BY created_at, id`,
    [],
  );
  return rows.map((row) => fromRow(row as unknown as OutboxRow));
}

interface OutboxRow {
  id: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

function fromRow(row: OutboxRow): OutboxMail {
  return {
    id: row.id,
    to: row.to,
    cc: row.cc,
    subject: row.subject,
    text: row.text,
    ...(row.html !== null ? { html: row.html } : {}),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    messageId: row.message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}
