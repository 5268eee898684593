/**
 * `DATABASE_URL=postgres://…/scratch npx tsx scripts/cancellation-explain.ts [--members 500] [--rooms 200000]`
 *
 * Loads the scale demo world into tenancy's schema of a scratch database (buildDemoWorld + the
 * tenancy seeder), gives 20% of the rooms a cancellation (mixed statuses, move-outs over two years,
 * settlement statements for most moved-out rooms), ANALYZEs, and prints EXPLAIN (ANALYZE, BUFFERS)
 * of the cancellation search (解約対象検索) for each filter, page and count, exactly as the API
 * builds them (searchSql). Results: docs/cancellation.md.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { migrate } from '@portal/subgraph-kit';
import { tenancy } from '@portal/tenancy';
import { defaultDemoOptions, loadDemoData } from '@portal/demo-data';
import { jstDateOf, type JstDate } from '@portal/platform';
import { searchSql, type CancellationSearchFilter } from '../subgraphs/tenancy/src/modules/cancellation/cancellation-search.repository.ts';
import { defaultMoveOutFrom } from '../subgraphs/tenancy/src/modules/cancellation/cancellation-date.rule.ts';

const { values } = parseArgs({ options: { members: { type: 'string', default: '500' }, rooms: { type: 'string', default: '200000' } } });
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL must name a scratch database.');
  process.exit(2);
}
const now = new Date('2026-11-22T01:00:00Z');
const today = jstDateOf(now);

const t0 = Date.now();
await migrate(databaseUrl, { schema: tenancy.name, databaseUrl, entities: tenancy.entities, migrations: tenancy.migrations });
const loaded = await loadDemoData(databaseUrl, { ...defaultDemoOptions(now), extraMembers: Number(values.members), extraRooms: Number(values.rooms), invoiceMonths: 0 });
console.log(`# ${loaded.summary} (${loaded.created ? 'loaded' : 'already there'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const { rows: [existing] } = await client.query<{ n: string }>('select count(*) as n from tenancy.cancellation');
if (Number(existing!.n) === 0) {
  const t1 = Date.now();
  await client.query(`insert into tenancy.operator_account (id, login_id, name, email, password_hash)
    values ('00000000-0000-4000-8000-00000000000f', 'scale-operator', 'scale', 'op@example.jp', 'x') on conflict do nothing`);
  // bucket = a stable 0..99 per room; 20% of the rooms have a cancellation
  await client.query(`
    with picked as (
      select r.id as room_id, r.member_id, l.id as lease_id, abs(hashtext(r.id::text)) % 100 as bucket, abs(hashtext(l.id::text)) % 720 as spread
        from tenancy.room r join tenancy.lease l on l.room_id = r.id
       where abs(hashtext(r.id::text)) % 100 < 20
    ), shaped as (
      select *, case when bucket < 12 then 'MOVED_OUT' when bucket < 17 then 'SUBMITTED' when bucket < 18 then 'WITHDRAWN'
                     when bucket < 19 then 'AWAITING_APPROVAL' when bucket < 20 then 'CHANGE_ERROR' end as status
        from picked
    )
    insert into tenancy.cancellation (id, member_id, room_id, lease_id, status, cancellation_date, original_date, reasons, contact_name, contact_phone,
      approvals_required, requested_by, requested_by_name, filed_at, submitted_at, latest, moved_out_on)
    select gen_random_uuid(), member_id, room_id, lease_id, status,
           d, d, '{RETIREMENT}', '管理太郎', '03-3000-0000', 0, gen_random_uuid(), 'scale', now(), now(), true,
           case when status = 'MOVED_OUT' then d end
      from (select *, case when status = 'MOVED_OUT' then date '${today}' - spread else date '${today}' + 10 + spread % 120 end as d from shaped) x`);
  await client.query(`
    insert into tenancy.settlement_statement (id, member_id, cancellation_id, room_id, statement_number, issued_on, issuer_name, issuer_registration_number,
      lines, tax_breakdown, subtotal, total_tax, total_amount, file_key, published_by, published_at)
    select gen_random_uuid(), member_id, id, room_id, 'S' || lpad(row_number() over ()::text, 12, '0'), moved_out_on + 14, 'x', 'T7123456789012',
           '[]', '[]', 30000, 3000, 33000, 'x', '00000000-0000-4000-8000-00000000000f', now()
      from tenancy.cancellation where status = 'MOVED_OUT' and abs(hashtext(id::text)) % 10 < 7`);
  await client.query('analyze tenancy.member, tenancy.property, tenancy.room, tenancy.lease, tenancy.cancellation, tenancy.settlement_statement');
  console.log(`# cancellations generated in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
}
const stats = (await client.query(`select (select count(*) from tenancy.room) rooms, (select count(*) from tenancy.property) properties,
  (select count(*) from tenancy.cancellation) cancellations, (select count(*) from tenancy.settlement_statement) statements`)).rows[0];
console.log(`# ${JSON.stringify(stats)}`);

const platform = new PostgreSqlPlatform();
const inline = (q: { sql: string; params: unknown[] }) => platform.formatQuery(q.sql, q.params);

const members = (await client.query<{ id: string; member_number: string; rooms: string }>(`
  (select m.id, m.member_number, count(*) as rooms from tenancy.member m join tenancy.room r on r.member_id = m.id where m.member_number = '10000001' group by m.id)
  union all
  (select m.id, m.member_number, count(*) as rooms from tenancy.member m join tenancy.room r on r.member_id = m.id where m.member_number <> '10000001'
    group by m.id order by count(*) desc, m.member_number desc limit 1)`)).rows;
const sample = (await client.query<{ ap_no: string; room_number: string; prefecture: string; city: string; name: string }>(
  `select p.ap_no, r.room_number, p.prefecture, p.city, p.name from tenancy.room r join tenancy.property p on p.id = r.property_id where r.member_id = $1 order by r.id limit 1`,
  [members[1]!.id],
)).rows[0]!;

const base = { moveOut: { from: defaultMoveOutFrom(today as JstDate), to: null, includeOccupied: true } };
const filters: [string, CancellationSearchFilter][] = [
  ['empty (default: past 3 months incl. occupied)', base],
  ['all (moveOut: {})', { moveOut: { from: null, to: null, includeOccupied: true } }],
  ['apNo', { ...base, apNo: sample.ap_no }],
  ['roomNumber', { ...base, roomNumber: sample.room_number }],
  ['propertyName (partial)', { ...base, propertyName: sample.name.slice(-4) }],
  ['memberNumber', { ...base, memberNumber: members[1]!.member_number }],
  ['status SUBMITTED', { ...base, statuses: ['SUBMITTED'] }],
  ['status CHANGE_ERROR', { ...base, statuses: ['CHANGE_ERROR'] }],
  ['prefecture + city', { ...base, prefecture: sample.prefecture, city: sample.city }],
  ['move-out range (one month, occupied excluded)', { moveOut: { from: '2026-09-01' as JstDate, to: '2026-09-30' as JstDate, includeOccupied: false } }],
];

const timings: [string, string, string, number][] = [];
for (const m of members) {
  console.log(`\n## member ${m.member_number} (${m.rooms} rooms)`);
  for (const [name, filter] of filters) {
    const q = searchSql(m.id, filter, 50, null);
    for (const [kind, stmt] of [['page', q.page], ['count', q.count]] as const) {
      // warm once, then measure
      await client.query(inline(stmt));
      const plan = (await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${inline(stmt)}`)).rows.map((r) => r['QUERY PLAN']);
      const key = plan.filter((l) => /Index Scan|Index Only Scan|Seq Scan|Bitmap Index Scan|Sort Method/.test(l)).map((l) => l.replace(/\s+\(cost=[^)]*\)/, '').trim());
      const time = plan.find((l) => l.startsWith('Execution Time'))!;
      timings.push([m.member_number, name, kind, Number(/([\d.]+) ms/.exec(time)![1])]);
      console.log(`\n### ${name} — ${kind}: ${time}\n${key.map((l) => `    ${l}`).join('\n')}`);
    }
  }
}
console.log('\n## summary (ms)\n| member | filter | page | count |\n|---|---|---|---|');
for (const [member, name] of [...new Set(timings.map(([m, n]) => `${m}\u0000${n}`))].map((k) => k.split("\u0000") as [string, string])) {
  const t = (kind: string) => timings.find((x) => x[0] === member && x[1] === name && x[2] === kind)![3].toFixed(2);
  console.log(`| ${member} | ${name} | ${t('page')} | ${t('count')} |`);
}
await client.end();
