import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

/**
 * The same room on several invoices: the gateway asks tenancy for each room once per fetch, not
 * once per line, and every line still gets its room.
 */
let stack: Stack;
let token: string;
let rooms: { id: string }[];

beforeAll(async () => {
  stack = await startStack({ only: ['billing'] });
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id, { billing: 'VIEW' });
  rooms = await stack.seed.rooms(member.id, 2);
  for (const month of ['2026-08', '2026-09', '2026-10']) {
    const invoiceId = randomUUID();
    await stack.sql(
      `insert into billing.invoice (id, member_id, billing_month, issue_date, due_date, payment_method, total_amount) values ($1, $2, $3, $4, $5, 'TRANSFER', 2000)`,
      [invoiceId, member.id, month, `${month}-05`, `${month}-27`],
    );
    for (const [i, room] of rooms.entries()) {
      await stack.sql(
        `insert into billing.invoice_line (id, member_id, invoice_id, billing_month, room_id, ap_no, property_name, room_number, member_number, next_month_usage_fee)
         values ($1, $2, $3, $4, $5, 'AP1', 'レオパレス', $6, $7, 1000)`,
        [randomUUID(), member.id, invoiceId, month, room.id, String(101 + i), member.memberNumber],
      );
    }
  }
  token = await stack.login(account.loginId, account.password);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('entity deduplication through the gateway', () => {
  it('sends each distinct room once per _entities call and answers every line with its room', async () => {
    const query = `{ invoices(first: 12) { edges { node { billingMonth lines { edges { node { roomNumber room { id roomNumber } } } } } } } }`;
    const tenancy = stack.subgraphs.tenancy!.metrics;
    const before = { calls: tenancy.entityCalls, sent: tenancy.representations };
    const r = await stack.gql<{ invoices: { edges: { node: { lines: { edges: { node: { roomNumber: string; room: { id: string; roomNumber: string } } }[] } } }[] } }>(query, {}, { token });
    expect(r.body.errors).toBeUndefined();
    const lines = r.body.data!.invoices.edges.flatMap((e) => e.node.lines.edges.map((l) => l.node));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line.room.roomNumber).toBe(line.roomNumber);
    expect(new Set(lines.map((l) => l.room.id))).toEqual(new Set(rooms.map((x) => x.id)));
    expect(tenancy.entityCalls - before.calls).toBe(1);
    // 6 occurrences, 2 distinct rooms: stock @apollo/gateway would send 6.
    expect(tenancy.representations - before.sent).toBe(2);
  });
});
