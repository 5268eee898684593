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
} finally {
  await stack.stop();
}
