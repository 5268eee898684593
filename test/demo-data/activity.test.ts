import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { buildDemoWorld, defaultDemoOptions, loadDemoData, runDemoActivity, type DemoActivityResult } from '@portal/demo-data';

/**
 * The demo world has something to look at in every screen: one published settlement statement and
 * one completed time-stamp reservation, made through the gateway by the demo users (no faked PDFs or
 * tokens). The whole stack, a fresh database, the demo's today.
 */
const options = defaultDemoOptions(new Date('2026-12-07T01:00:00Z'));
let stack: Stack;
let made: DemoActivityResult;
let started = 0;
let seconds = 0;

beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'billing'] });
  stack.setClock(new Date('2026-12-07T01:00:00Z'));
  await loadDemoData(stack.database.url, options);
  started = performance.now();
  made = await runDemoActivity({
    gatewayUrl: stack.gatewayUrl,
    world: buildDemoWorld(options),
    runStampJob: async () => {
      const jobs = stack.subgraphs.billing!.services.jobs!;
      await jobs.send('billing-timestamp-nightly', {});
      await jobs.runDue('billing-timestamp-nightly');
    },
  });
  seconds = (performance.now() - started) / 1000;
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

describe('demo activity', () => {
  it('publishes one settlement statement for a seeded move-out, with its PDF', async () => {
    const rows = await stack.sql<{ id: string; status: string; total: number; file_key: string }>(
      `select s.id, c.status, s.total_amount as total, s.file_key from tenancy.settlement_statement s join tenancy.cancellation c on c.id = s.cancellation_id`,
    );
    // lines of 27,500 + 16,500 + 11,000 before tax, 10%
    expect(rows).toEqual([{ id: made.settlementStatementId, status: 'MOVED_OUT', total: 60500, file_key: expect.any(String) }]);
    const operatorLess = await stack.login('demo-viewer', 'Demo-Passw0rd!');
    const page = await stack.gql<{ cancellationTargets: { edges: { node: { settlementStatement: { id: string; pdfUrl: string } | null } }[] } }>(
      '{ cancellationTargets(filter: { statuses: [MOVED_OUT] }) { edges { node { settlementStatement { id pdfUrl } } } } }', {}, { token: operatorLess },
    );
    const statements = page.body.data!.cancellationTargets.edges.map((e) => e.node.settlementStatement).filter(Boolean);
    expect(statements.map((s) => s!.id)).toEqual([made.settlementStatementId]);
    const pdf = await fetch(new URL(statements[0]!.pdfUrl, stack.gatewayUrl), { headers: { authorization: `Bearer ${operatorLess}` } });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('completes one time-stamp reservation on last month\'s invoice, with its document and token', async () => {
    const rows = await stack.sql<{ id: string; status: string; month: string; stamped: boolean }>(
      `select r.id, r.status, i.billing_month as month, r.token_key is not null and r.document_key is not null as stamped from billing.timestamp_reservation r join billing.invoice i on i.id = r.invoice_id`,
    );
    expect(rows).toEqual([{ id: made.timestampReservationId, status: 'COMPLETED', month: '2026-11', stamped: true }]);
    console.log(`demo activity (statement + reservation + stamping) took ${seconds.toFixed(2)} s`);
  });
});
