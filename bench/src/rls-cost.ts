/**
 * `npx tsx bench/src/rls-cost.ts [label]`: the cost of row-level security per request, through the
 * whole stack (gateway + four subgraphs in this process, a fresh database on TEST_DATABASE_ADMIN_URL,
 * the demo world). Two typical member operations: the dashboard (me, current invoice, 20 rooms with
 * residents and insurance: all four subgraphs) and an invoice's 100 lines with room data.
 * For each: 200 requests one after the other (mean, p50, p95 ms), then 8 in flight for 5 s (req/s).
 * Run it on two trees (before/after) alternately; the figures are in docs/architecture.md.
 * Bounded: a fixed number of requests or seconds, loopback only.
 */
import { loadDemoData, defaultDemoOptions } from '@portal/demo-data';
import { startStack } from '@portal/testing';

const label = process.argv[2] ?? 'run';
const SEQUENTIAL = 200;
const WARMUP = 40;
const CONCURRENCY = 8;
const SECONDS = 5;

const DASHBOARD = `query Dashboard {
  me { account { name } member { name memberNumber } permissions { billing cancellation residents } }
  currentInvoice { billingMonth totalAmount status lines(first: 1) { totalCount } }
  rooms(first: 20) { totalCount edges { node { id apNo propertyName roomNumber hasSmartlock residents { id } hasFireInsurance } } }
}`;
const LINES = `query Lines($id: ID!) {
  invoice(id: $id) { id totalAmount lines(first: 100) { totalCount edges { node { id apNo total room { id city lease { contractNumber } } } } } }
}`;

const stack = await startStack();
try {
  await loadDemoData(stack.database.url, { ...defaultDemoOptions(new Date('2026-11-22T00:00:00Z')), invoiceMonths: 3 });
  stack.setClock(new Date('2026-11-22T03:00:00Z'));
  const token = await stack.login('demo-admin', 'Demo-Passw0rd!');
  const [invoice] = await stack.sql<{ id: string }>(
    "select i.id from billing.invoice i join tenancy.member m on m.id = i.member_id where m.member_number = '10000001' order by i.billing_month desc limit 1",
  );
  const operations = [
    { name: 'dashboard', query: DASHBOARD, variables: {} },
    { name: 'invoice lines (100)', query: LINES, variables: { id: invoice!.id } },
  ];
  for (const op of operations) {
    const once = async () => {
      const r = await stack.gql(op.query, op.variables, { token });
      if (r.status !== 200 || r.body.errors) throw new Error(`${op.name}: ${JSON.stringify(r.body).slice(0, 300)}`);
    };
    for (let i = 0; i < WARMUP; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    let done = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await once();
        done += 1;
      }
    }));
    console.log(JSON.stringify({
      label,
      operation: op.name,
      meanMs: +mean.toFixed(2),
      p50Ms: +times[Math.floor(times.length * 0.5)]!.toFixed(2),
      p95Ms: +times[Math.floor(times.length * 0.95)]!.toFixed(2),
      reqPerSec: +(done / SECONDS).toFixed(1),
    }));
  }
  // The database's share, apart from the machine's noise: the same statement as the owner (a
  // superuser: no policy) and as billing's role with the member stamped first (the hook's round trip
  // plus the policy), interleaved in one process. Only where the role exists (after).
  const [role] = await stack.sql<{ n: number }>("select count(*)::int as n from pg_roles where rolname = 'portal_billing'");
  if (role!.n > 0) {
    const pg = (await import('pg')).default;
    const [member] = await stack.sql<{ member_id: string }>('select member_id from billing.invoice where id = $1', [invoice!.id]);
    const ownerUrl = stack.database.url;
    const roleUrl = new URL(ownerUrl);
    roleUrl.username = 'portal_billing';
    const owner = new pg.Client({ connectionString: ownerUrl });
    const app = new pg.Client({ connectionString: roleUrl.toString() });
    await owner.connect();
    await app.connect();
    const query = 'select id, ap_no, room_number, total from billing.invoice_line where member_id = $1 and invoice_id = $2 order by ap_no, room_number, id limit 100';
    const params = [member!.member_id, invoice!.id];
    const ROUNDS = 10;
    const PER_ROUND = 200;
    const spent = { owner: 0, app: 0 };
    for (let r = 0; r < ROUNDS + 1; r++) {
      for (const who of ['owner', 'app'] as const) {
        const t0 = performance.now();
        for (let i = 0; i < PER_ROUND; i++) {
          if (who === 'app') await app.query("select set_config('portal.member_id', $1, false), set_config('portal.scope', '', false)", [member!.member_id]);
          const { rows } = await (who === 'app' ? app : owner).query(query, params);
          if (rows.length !== 100) throw new Error(`expected 100 lines, got ${rows.length}`);
        }
        if (r > 0) spent[who] += performance.now() - t0; // round 0 warms up
      }
    }
    const per = (ms: number) => +((ms / (ROUNDS * PER_ROUND)) * 1000).toFixed(0);
    console.log(JSON.stringify({ label, operation: 'one 100-line statement (µs)', ownerNoRls: per(spent.owner), roleWithStampAndPolicy: per(spent.app) }));
    await owner.end();
    await app.end();
  }
} finally {
  await stack.stop();
}
