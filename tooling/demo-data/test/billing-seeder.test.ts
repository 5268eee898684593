import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrate } from '@portal/subgraph-kit';
import { createTestDatabase, loadSubgraph, type TestDatabase } from '@portal/testing';
import { defaultDemoOptions, loadDemoData } from '../src/index.ts';

const options = defaultDemoOptions(new Date('2026-11-22T00:00:00Z'));

describe('billing demo data', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const def of await Promise.all((['tenancy', 'billing'] as const).map((n) => loadSubgraph(n)))) await migrate(db.url, { schema: def.name, databaseUrl: db.url, entities: def.entities, migrations: def.migrations });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('gives both demo members 12 months of invoices with a line per room, tax rates 10 and 8, exit settlements, refunds', async () => {
    await loadDemoData(db.url, options);
    const q = async <T>(sql: string) => (await client.query(sql)).rows as T[];
    const perMember = await q<{ member_number: string; invoices: number; lines: number; rooms: number }>(
      `select m.member_number, count(distinct i.id)::int as invoices, count(l.id)::int as lines, (select count(*)::int from tenancy.room r where r.member_id = m.id) as rooms
         from tenancy.member m join billing.invoice i on i.member_id = m.id join billing.invoice_line l on l.invoice_id = i.id group by m.id order by m.member_number`,
    );
    expect(perMember).toEqual([
      { member_number: '10000001', invoices: 12, lines: 1200 * 12, rooms: 1200 },
      { member_number: '10000002', invoices: 12, lines: 15 * 12, rooms: 15 },
    ]);
    const months = await q<{ first: string; last: string }>('select min(billing_month) as first, max(billing_month) as last from billing.invoice');
    expect(months).toEqual([{ first: '2025-12', last: '2026-11' }]);
    expect(await q('select billing_month, status from billing.invoice where status = \'PUBLISHED\' group by 1, 2')).toEqual([{ billing_month: '2026-11', status: 'PUBLISHED' }]);
    const mismatched = await q('select i.id from billing.invoice i join billing.invoice_line l on l.invoice_id = i.id group by i.id having i.total_amount <> sum(l.total)');
    expect(mismatched).toEqual([]);
    const [stats] = await q<{ rates: number[]; exits: number; renewals: number; insured: number }>(
      "select array_agg(distinct tax_rate order by tax_rate desc) as rates, count(*) filter (where exit_settlement > 0)::int as exits, count(*) filter (where annual_fee > 0)::int as renewals, count(*) filter (where minor_services_fee > 0)::int as insured from billing.invoice_line",
    );
    expect(stats!.rates).toEqual([10, 8]);
    expect(stats!.exits).toBeGreaterThan(5);
    expect(stats!.exits).toBeLessThan(200);
    expect(stats!.renewals).toBeGreaterThan(1000);
    // Every annual fee names its kind (the renewal month's 更新費用), so documents print it (issue 11 item 9).
    expect(await q("select annual_fee_kind, count(*)::int as n from billing.invoice_line where annual_fee > 0 group by 1")).toEqual([{ annual_fee_kind: 'RENEWAL_FEE', n: stats!.renewals }]);
    expect(stats!.insured).toBeGreaterThan(1000);
    const refunds = await q<{ refund_month: string; refund_date: string; publish_date: string; lines: number }>(
      "select r.refund_month, r.refund_date::text, r.publish_date::text, count(l.id)::int as lines from billing.refund r join billing.refund_line l on l.refund_id = r.id group by r.id order by 1",
    );
    expect(refunds).toEqual([
      { refund_month: '2026-09', refund_date: '2026-09-25', publish_date: '2026-09-18', lines: expect.any(Number) },
      { refund_month: '2026-10', refund_date: '2026-10-26', publish_date: '2026-10-22', lines: expect.any(Number) },
    ]);
    expect(await q("select holder_kana from billing.refund_account")).toEqual([{ holder_kana: 'ｶ)ｻﾝﾌﾟﾙｼﾖｳｼﾞ' }]);
    // Billing's read models of members and account names hold tenancy's, at version 0 (any real event wins).
    expect(await q(`select count(*)::int as n from tenancy.member m full join billing.member_ref x on x.member_id = m.id
                     where x.member_id is null or m.id is null or x.name <> m.name or x.head_office_address <> m.head_office_address or x.version <> 0`)).toEqual([{ n: 0 }]);
    expect(await q(`select count(*)::int as n from tenancy.account a full join billing.account_ref x on x.account_id = a.id
                     where x.account_id is null or a.id is null or x.name <> a.name or x.member_id <> a.member_id`)).toEqual([{ n: 0 }]);
  }, 120_000);
});
