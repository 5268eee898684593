/**
 * The bench's own database (default `portal_bench` on the test PostgreSQL server), loaded once with
 * the scale data set and reused while its marker says the same options were loaded.
 */
import pg from 'pg';
import { migrate } from '@portal/subgraph-kit';
import { tenancy } from '@portal/tenancy';
import { billing } from '@portal/billing';
import { smartlock } from '@portal/smartlock';
import { contracts } from '@portal/contracts';
import { defaultDemoOptions, loadDemoData } from '@portal/demo-data';
import { startEmbeddedPostgres } from '@portal/db';

export interface BenchDataOptions {
  members: number;
  rooms: number;
  months: number;
}

export function databaseUrlFor(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The PostgreSQL server the bench uses: BENCH_DATABASE_ADMIN_URL when set, else its own embedded
 * server (data kept in bench/.work/pg, port 54339), so that other test runs on the machine cannot
 * take its connection slots ("too many clients") in the middle of a measurement.
 */
export async function benchServer(workDir: string): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_ADMIN_URL) return { adminUrl: process.env.BENCH_DATABASE_ADMIN_URL, stop: async () => undefined };
  const embedded = await startEmbeddedPostgres(workDir, 54339);
  return { adminUrl: databaseUrlFor(embedded.url, 'postgres'), stop: () => embedded.stop() };
}

/** Creates the database when missing; loads the data set unless the marker says it is there. Returns its URL. */
export async function ensureBenchDatabase(adminUrl: string, name: string, options: BenchDataOptions, log: (line: string) => void = console.log): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rows.length === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(adminUrl, name);
  const marker = JSON.stringify(options);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create schema if not exists bench');
    await client.query('create table if not exists bench.loaded (options text primary key, loaded_at timestamptz not null default now())');
    const loaded = await client.query('select loaded_at from bench.loaded where options = $1', [marker]);
    // Migrations run every time (cheap when current): subgraphs may have gained tables since the load.
    for (const def of [tenancy, billing, smartlock, contracts]) await migrate(url, { schema: def.name, databaseUrl: url, entities: def.entities, migrations: def.migrations });
    await ensureRoomRefs(client, log);
    if (loaded.rows.length > 0) {
      log(`bench database ${name}: data set ${marker} loaded at ${(loaded.rows[0] as { loaded_at: Date }).loaded_at.toISOString()}`);
      return url;
    }
    const started = Date.now();
    log(`bench database ${name}: loading ${options.members} members, ${options.rooms} rooms, ${options.months} months of invoices (once) ...`);
    const demo = { ...defaultDemoOptions(), extraMembers: options.members, extraRooms: options.rooms, invoiceMonths: options.months };
    const result = await loadDemoData(url, demo);
    log(`  demo world: ${result.created ? 'loaded' : 'already present'} (${result.summary})`);
    await ensureInvoices(client, options.months, log);
    await client.query('analyze');
    await client.query('insert into bench.loaded (options) values ($1) on conflict do nothing', [marker]);
    log(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return url;
  } finally {
    await client.end();
  }
}

/**
 * Billing's demo seeder (12 months of invoices) may not exist yet: when the demo loader left billing
 * empty, the bench writes the invoices itself, one per member and month with one line per room (the
 * shape billing's own tables require), in a few set-based statements.
 */
async function ensureInvoices(client: pg.Client, months: number, log: (line: string) => void): Promise<void> {
  const { rows } = await client.query('select count(*)::int as n from billing.invoice');
  if ((rows[0] as { n: number }).n > 0) {
    log('  invoices: written by the demo loader');
    return;
  }
  log(`  invoices: billing's demo seeder is not there; writing ${months} months of invoices for every member ...`);
  await client.query('begin');
  try {
    await client.query(
      `insert into billing.invoice (id, member_id, billing_month, issue_date, due_date, payment_method, total_amount)
       select gen_random_uuid(), m.id, to_char(d, 'YYYY-MM'), (d + interval '4 days')::date, (d + interval '1 month' - interval '1 day')::date, 'TRANSFER', 0
         from tenancy.member m
        cross join generate_series(date_trunc('month', now() at time zone 'Asia/Tokyo') - make_interval(months => $1 - 1),
                                   date_trunc('month', now() at time zone 'Asia/Tokyo'), interval '1 month') d`,
      [months],
    );
    await client.query(
      `insert into billing.invoice_line (id, member_id, invoice_id, billing_month, room_id, ap_no, property_name, room_number, member_number,
                                         next_month_usage_fee, annual_fee, minor_services_fee, exit_settlement, tax_rate, annual_fee_kind)
       select gen_random_uuid(), i.member_id, i.id, i.billing_month, r.id, p.ap_no, p.name, r.room_number, m.member_number,
              50000 + (abs(hashtext(r.id::text)) % 40) * 1000,
              case when abs(hashtext(r.id::text || i.billing_month)) % 12 = 0 then 20000 else 0 end,
              case when abs(hashtext(i.billing_month || r.id::text)) % 3 = 0 then 1500 else 0 end,
              0, 10,
              case when abs(hashtext(r.id::text || i.billing_month)) % 12 = 0 then 'ANNUAL_FEE' end
         from billing.invoice i
         join tenancy.room r on r.member_id = i.member_id
         join tenancy.property p on p.id = r.property_id
         join tenancy.member m on m.id = i.member_id`,
    );
    await client.query(
      `update billing.invoice i set total_amount = s.total
         from (select invoice_id, sum(total)::int as total from billing.invoice_line group by invoice_id) s
        where s.invoice_id = i.id`,
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

/**
 * Smartlock's and contracts' read models of tenancy's rooms (`room_ref`) arrived after this database
 * may have been loaded: fill an empty one from tenancy's tables, as the demo loader does from the
 * demo world (version 0: any real room event replaces these rows).
 */
async function ensureRoomRefs(client: pg.Client, log: (line: string) => void): Promise<void> {
  for (const schema of ['smartlock', 'contracts']) {
    const exists = await client.query('select 1 from information_schema.tables where table_schema = $1 and table_name = $2', [schema, 'room_ref']);
    if (exists.rows.length === 0) continue;
    const { rows } = await client.query(`select exists (select 1 from ${schema}.room_ref) as filled`);
    if ((rows[0] as { filled: boolean }).filled) continue;
    log(`  ${schema}.room_ref is empty: filling it from tenancy's rooms ...`);
    await client.query(
      `insert into ${schema}.room_ref (room_id, member_id, member_number, ap_no, property_name, room_number, prefecture, city, move_in_date, has_smartlock, lease_start, lease_end, version)
       select r.id, r.member_id, m.member_number, p.ap_no, p.name, r.room_number, p.prefecture, p.city, r.move_in_date, r.has_smartlock, l.start_date, null, 0
         from tenancy.room r
         join tenancy.property p on p.id = r.property_id
         join tenancy.member m on m.id = r.member_id
         left join tenancy.lease l on l.room_id = r.id`,
    );
    await client.query(`analyze ${schema}.room_ref`);
  }
}
