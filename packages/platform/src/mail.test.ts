import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettableClock } from './clock.ts';
import {
  createMailDeliverer,
  enqueueMail,
  fileCatcherTransport,
  mailOutboxDdl,
  MailValidationError,
  readOutbox,
  smtpTransport,
  type MailTransport,
  type OutgoingMessage,
} from './mail.ts';

// Integration test on a real PostgreSQL. Each test uses its own schema, so none depends on
// another's rows.
let database: TestDatabase;
let pool: pg.Pool;
let catcherDir: string;
let schemaCount = 0;
const clock = createSettableClock(new Date('2025-11-21T00:00:00Z'));
const from = '"法人ポータル" <no-reply@portal.example.jp>';

beforeAll(async () => {
  database = await createTestDatabase('platform_mail');
  pool = new pg.Pool({ connectionString: database.url, max: 6 });
  catcherDir = await mkdtemp(join(tmpdir(), 'platform-mail-'));
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
  if (catcherDir) await rm(catcherDir, { recursive: true, force: true });
});

async function freshSchema(): Promise<string> {
  schemaCount += 1;
  const schema = `mail_${schemaCount}`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(mailOutboxDdl(schema));
  await pool.query(mailOutboxDdl(schema)); // a migration may run it again
  return schema;
}

/** Test double for SMTP only: records messages, fails the first `failures` sends. */
function recordingSmtp(failures = 0): MailTransport & { sent: OutgoingMessage[]; calls: number } {
  const transport = {
    sent: [] as OutgoingMessage[],
    calls: 0,
    async send(message: OutgoingMessage) {
      transport.calls += 1;
      if (transport.calls <= failures) throw new Error(`421 try again later (${transport.calls})`);
      transport.sent.push(message);
      return { messageId: `<${message.outboxId}@smtp.test>` };
    },
  };
  return transport;
}

/** Decodes RFC 2047 encoded words (B and Q) as nodemailer writes them. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, encoding: string, data: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

function headerOf(eml: string, name: string): string {
  const head = eml.slice(0, eml.indexOf('\n\n'));
  const match = new RegExp(`^${name}: (.*(?:\\n[ \\t].*)*)`, 'mi').exec(head);
  return match?.[1]?.replace(/\n[ \t]/g, ' ') ?? '';
}

describe('mail outbox', () => {
  it('commits the mail with the caller transaction, or not at all', async () => {
    const schema = await freshSchema();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await enqueueMail(client, schema, { to: 'rolled-back@example.jp', subject: 'x', text: 'x' });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      const id = await enqueueMail(client, schema, {
        to: ['tanaka@example.jp', 'suzuki@example.co.jp'],
        cc: 'keiri@example.jp',
        subject: '解約申請を受け付けました',
        text: '本文',
      });
      await client.query('COMMIT');
      const outbox = await readOutbox(pool, schema);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({
        id,
        to: ['tanaka@example.jp', 'suzuki@example.co.jp'],
        cc: ['keiri@example.jp'],
        subject: '解約申請を受け付けました',
        status: 'pending',
        attempts: 0,
        lastError: null,
        sentAt: null,
      });
    } finally {
      client.release();
    }
  });

  it.each([
    [{ to: 'not-an-address', subject: 's', text: 't' }, /to/],
    [{ to: [], subject: 's', text: 't' }, /recipients/],
    [{ to: 'a@example.jp', cc: ['ok@example.jp', 'bad@'], subject: 's', text: 't' }, /cc/],
    [{ to: 'a@example.jp', subject: 'line\r\nBcc: evil@example.com', text: 't' }, /single line/],
    [{ to: 'a@example.jp', subject: '', text: 't' }, /subject/],
  ])('rejects %j without writing anything', async (mail, message) => {
    const schema = await freshSchema();
    const attempt = enqueueMail(pool, schema, mail as never);
    await expect(attempt).rejects.toBeInstanceOf(MailValidationError);
    await expect(attempt).rejects.toThrow(message);
    expect(await readOutbox(pool, schema)).toEqual([]);
  });

  it('rejects schema names that are not plain identifiers', () => {
    expect(() => mailOutboxDdl('billing; DROP TABLE x')).toThrow(/Invalid SQL schema/);
  });

  it('delivers through the file catcher as .eml files that read back intact', async () => {
    const schema = await freshSchema();
    const id = await enqueueMail(pool, schema, {
      to: 'yamada@example.jp',
      cc: ['keiri@example.jp'],
      subject: '【重要】鍵のお渡し日時のご案内',
      text: '山田様\n\n鍵のお渡しは 2025年11月25日 9:00 です。',
      html: '<p>鍵のお渡しは <b>9:00</b> です。</p>',
    });
    clock.set(new Date('2025-11-25T00:00:00Z'));
    const deliverer = createMailDeliverer({ pool, schema, transport: fileCatcherTransport(catcherDir), from, clock });

    expect(await deliverer.deliverPending()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const [row] = await readOutbox(pool, schema);
    expect(row).toMatchObject({ id, status: 'sent', attempts: 1, lastError: null });
    expect(row?.sentAt?.toISOString()).toBe('2025-11-25T00:00:00.000Z');
    expect(row?.messageId).toMatch(/^<.+@.+>$/);

    expect(await readdir(catcherDir)).toContain(`${id}.eml`);
    const eml = await readFile(join(catcherDir, `${id}.eml`), 'utf8');
    expect(decodeHeader(headerOf(eml, 'Subject'))).toBe('【重要】鍵のお渡し日時のご案内');
    expect(headerOf(eml, 'To')).toBe('yamada@example.jp');
    expect(headerOf(eml, 'Cc')).toBe('keiri@example.jp');
    expect(decodeHeader(headerOf(eml, 'From'))).toBe('法人ポータル <no-reply@portal.example.jp>');
    expect(headerOf(eml, 'Message-ID')).toBe(row?.messageId);
    const base64Parts = [...eml.matchAll(/Content-Transfer-Encoding: base64\n\n([A-Za-z0-9+/=\n]+)/g)].map((part) =>
      Buffer.from(part[1]!.replace(/\n/g, ''), 'base64').toString('utf8'),
    );
    expect(base64Parts).toContain('山田様\n\n鍵のお渡しは 2025年11月25日 9:00 です。');
    expect(base64Parts).toContain('<p>鍵のお渡しは <b>9:00</b> です。</p>');
  });

  it('retries with back-off on the clock and gives up after maxAttempts', async () => {
    const schema = await freshSchema();
    clock.set(new Date('2025-12-01T00:00:00Z'));
    const id = await enqueueMail(pool, schema, { to: 'a@example.jp', subject: '請求書', text: '添付をご確認ください' });
    const smtp = recordingSmtp(Number.POSITIVE_INFINITY);
    const deliverer = createMailDeliverer({ pool, schema, transport: smtp, from, clock, maxAttempts: 3 });

    expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [row] = await readOutbox(pool, schema);
    expect(row).toMatchObject({ id, status: 'pending', attempts: 1, lastError: '421 try again later (1)' });
    expect(row?.nextAttemptAt?.toISOString()).toBe('2025-12-01T00:01:00.000Z');

    // Not due yet: nothing is attempted.
    expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    clock.advance(60_000);
    expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    [row] = await readOutbox(pool, schema);
    expect(row?.nextAttemptAt?.toISOString()).toBe('2025-12-01T00:03:00.000Z'); // 2 minutes after the 2nd attempt

    clock.advance(2 * 60_000);
    expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    [row] = await readOutbox(pool, schema);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: '421 try again later (3)', nextAttemptAt: null });
    clock.advance(3_600_000);
    expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.calls).toBe(3);
  });

  it('sends after a transient failure once the retry is due', async () => {
    const schema = await freshSchema();
    clock.set(new Date('2025-12-02T00:00:00Z'));
    await enqueueMail(pool, schema, { to: 'a@example.jp', subject: 'お知らせ', text: '本文' });
    const smtp = recordingSmtp(1);
    const deliverer = createMailDeliverer({ pool, schema, transport: smtp, from, clock, backoffMs: () => 30_000 });
    expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    clock.advance(30_000);
    expect(await deliverer.deliverPending()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const [row] = await readOutbox(pool, schema);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(smtp.sent.map((message) => [message.from, message.to, message.subject])).toEqual([[from, ['a@example.jp'], 'お知らせ']]);
  });

  it('sends each mail once when several deliverers run at the same time', async () => {
    const schema = await freshSchema();
    clock.set(new Date('2025-12-03T00:00:00Z'));
    const ids = [];
    for (let n = 0; n < 12; n += 1) ids.push(await enqueueMail(pool, schema, { to: `u${n}@example.jp`, subject: `#${n}`, text: 't' }));
    const smtp = recordingSmtp();
    const slow: MailTransport = {
      send: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return smtp.send(message);
      },
    };
    const deliverers = [1, 2, 3].map(() => createMailDeliverer({ pool, schema, transport: slow, from, clock }));
    const reports = await Promise.all(deliverers.map((deliverer) => deliverer.deliverPending()));
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(12);
    expect(smtp.sent.map((message) => message.outboxId).sort()).toEqual([...ids].sort());
    expect((await readOutbox(pool, schema)).every((row) => row.status === 'sent')).toBe(true);
  });

  it('records a real SMTP connection failure as a retry (smtpTransport)', async () => {
    const schema = await freshSchema();
    clock.set(new Date('2025-12-04T00:00:00Z'));
    await enqueueMail(pool, schema, { to: 'a@example.jp', subject: 's', text: 't' });
    const transport = smtpTransport('smtp://127.0.0.1:1?connectionTimeout=2000');
    try {
      const deliverer = createMailDeliverer({ pool, schema, transport, from, clock });
      expect(await deliverer.deliverPending()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const [row] = await readOutbox(pool, schema);
      expect(row?.lastError).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      transport.close?.();
    }
  });
});
