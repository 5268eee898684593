import { createHash } from 'node:crypto';
import type pg from 'pg';
import { addDays, jstDateFromParts, previousBusinessDayOnOrBefore, type JstDate } from '@portal/platform';
import { bulkInsert, stableUuid, type DemoRoom, type DemoSeeder, type DemoWorld } from '@portal/demo-world';
import { billingCalendar } from '../modules/calendar/billing-calendar.ts';
import { confirmationDeadline } from '../modules/hold/rules/closing-day.rule.ts';
import { invoicePublicationDate } from '../modules/invoice/rules/publication-date.rule.ts';
import { refundDate, refundStatementDate } from '../modules/refund/rules/refund-date.rule.ts';
import { seedMemberRefs } from './member-ref.seeder.ts';

/** The same as PostgreSQL's `md5(name)::uuid`, for ids the database derives too. */
function md5Uuid(name: string): string {
  const h = createHash('md5').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
/** A stable number in [0, 1) from a name. */
function stableFraction(name: string): number {
  return parseInt(createHash('md5').update(name).digest('hex').slice(0, 8), 16) / 2 ** 32;
}

function months(current: string, count: number): string[] {
  const [y, m] = current.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const index = y * 12 + (m - 1) - (count - 1 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}
const monthEnd = (month: string): JstDate => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return addDays(m === 12 ? jstDateFromParts(y + 1, 1, 1) : jstDateFromParts(y, m + 1, 1), -1);
};

/** Per room, what does not change month to month: rent band, insurance, tax rate, renewal month. */
function roomProfile(room: DemoRoom) {
  const f = stableFraction(room.id);
  return {
    usageFee: 37050 + Math.floor(f * 40) * 500, // ¥37,050 – ¥56,550 in ¥500 steps, like the manual's lines
    insured: stableFraction(`${room.id}:ins`) < 0.3, // 少額短期保険 ¥1,500 a month
    taxRate: stableFraction(`${room.id}:tax`) < 0.05 ? 8 : 10,
    renewalMonth: Number(room.moveInDate.slice(5, 7)),
    exitFraction: stableFraction(`${room.id}:exit`),
  };
}

/**
 * Billing's demo data, written only to the billing schema: for every member, `invoiceMonths` invoices
 * ending with the current month, one line per room (next month's usage fee; the annual renewal fee in
 * the room's renewal month; small-amount insurance for some rooms; a few exit settlements), tax rates
 * 10 and 8; past months confirmed on their closing day. Member 10000001 also gets two refund statements
 * and a bulk refund account. Amounts and ids are derived from the room ids (no random stream), and
 * the room profiles go in with `bulkInsert`, then each month's lines in one INSERT … SELECT (fast for the 200,000-room scale mode).
 */
export async function seedBilling(client: pg.ClientBase, world: DemoWorld): Promise<void> {
  const list = months(world.options.currentMonth, world.options.invoiceMonths);
  const byMember = new Map<string, DemoRoom[]>();
  for (const room of world.rooms) {
    const list = byMember.get(room.memberId);
    if (list) list.push(room);
    else byMember.set(room.memberId, [room]);
  }
  const profiles = new Map(world.rooms.map((r) => [r.id, roomProfile(r)]));
  const exits: { room: DemoRoom; month: string; amount: number }[] = [];

  // Each room's profile once, into a temporary table; every month's lines are then one INSERT … SELECT
  // (the database computes them), which keeps the 200,000-room scale mode to seconds per month.
  await client.query(`create temporary table demo_billing_room (
    ordinal int, room_id uuid, member_id uuid, ap_no text, property_name text, room_number text, member_number text,
    usage_fee int, insured boolean, tax_rate smallint, renewal_month int, exit_month_index int, exit_amount int) on commit drop`);
  const exitIndex = (p: ReturnType<typeof roomProfile>) => (p.exitFraction < 0.02 ? Math.floor(p.exitFraction * 1000) % list.length : -1);
  // Lines are written in (member, APNo, room) order with ids that grow in that order, so every index
  // of invoice_line is appended to rather than written at random places (2.4M lines in scale mode).
  const ordered = [...world.rooms].sort((a, b) => a.memberId.localeCompare(b.memberId) || a.property.apNo.localeCompare(b.property.apNo) || a.roomNumber.localeCompare(b.roomNumber));
  await bulkInsert(client, 'pg_temp.demo_billing_room', {
    ordinal: 'int4', room_id: 'uuid', member_id: 'uuid', ap_no: 'text', property_name: 'text', room_number: 'text', member_number: 'text',
    usage_fee: 'int4', insured: 'bool', tax_rate: 'int2', renewal_month: 'int4', exit_month_index: 'int4', exit_amount: 'int4',
  }, ordered.map((room, ordinal) => {
    const p = profiles.get(room.id)!;
    return {
      ordinal, room_id: room.id, member_id: room.memberId, ap_no: room.property.apNo, property_name: room.property.name, room_number: room.roomNumber, member_number: room.memberNumber,
      usage_fee: p.usageFee, insured: p.insured, tax_rate: p.taxRate, renewal_month: p.renewalMonth, exit_month_index: exitIndex(p), exit_amount: 10000 + Math.floor(p.exitFraction * 50) * 1000 + 526,
    };
  }), 20000);

  for (const [mi, month] of list.entries()) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const current = mi === list.length - 1;
    const invoices: Record<string, unknown>[] = [];
    for (const member of world.members) {
      const rooms = byMember.get(member.id) ?? [];
      if (!rooms.length) continue;
      // Bank transfer for every demo member: a direct-debit invoice of the current month would only be
      // published on the 27th, and the demo (and tests pinned to a demo month) expect this month's invoice.
      const paymentMethod = 'TRANSFER';
      const issueDate = invoicePublicationDate(y, m, paymentMethod, billingCalendar);
      // The last business day of the month on the company calendar: December's is 12/28, not 12/31 in the closure.
      const dueDate = previousBusinessDayOnOrBefore(monthEnd(month), billingCalendar);
      let total = 0;
      for (const room of rooms) {
        const p = profiles.get(room.id)!;
        const exit = exitIndex(p) === mi;
        const exitAmount = 10000 + Math.floor(p.exitFraction * 50) * 1000 + 526;
        if (exit) exits.push({ room, month, amount: exitAmount });
        total += p.usageFee + (p.renewalMonth === m ? 19800 : 0) + (p.insured ? 1500 : 0) + (exit ? exitAmount : 0);
      }
      const confirmed = !current;
      invoices.push({
        id: md5Uuid(`invoice:${member.id}:${month}`), member_id: member.id, billing_month: month, issue_date: issueDate, due_date: dueDate < issueDate ? issueDate : dueDate, payment_method: paymentMethod,
        total_amount: total, print_count: confirmed ? 1 + (mi % 3) : 0, status: confirmed ? 'CONFIRMED' : 'PUBLISHED',
        confirmed_at: confirmed ? `${confirmationDeadline(issueDate)}T17:00:00+09:00` : null, recipient_name: member.name,
        // imported by the operator the evening before publication, as the back office does (this
        // morning, when the demo's today is earlier than that: nothing in the demo is in the future)
        created_at: addDays(issueDate, -1) <= world.options.today ? `${addDays(issueDate, -1)}T18:00:00+09:00` : `${world.options.today}T08:00:00+09:00`,
      });
    }
    await bulkInsert(client, 'billing.invoice', {
      id: 'uuid', member_id: 'uuid', billing_month: 'text', issue_date: 'date', due_date: 'date', payment_method: 'text', total_amount: 'int4', print_count: 'int4',
      status: 'text', confirmed_at: 'timestamptz', recipient_name: 'text', created_at: 'timestamptz',
    }, invoices);
    await client.query(
      `insert into billing.invoice_line (id, member_id, invoice_id, billing_month, room_id, ap_no, property_name, room_number, member_number,
         next_month_usage_fee, annual_fee, minor_services_fee, exit_settlement, tax_rate, annual_fee_kind)
       select (lpad(to_hex($3::int + 1), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(r.ordinal), 12, '0'))::uuid, r.member_id, md5('invoice:' || r.member_id || ':' || $1)::uuid, $1, r.room_id, r.ap_no, r.property_name, r.room_number, r.member_number,
              r.usage_fee, case when r.renewal_month = $2 then 19800 else 0 end, case when r.insured then 1500 else 0 end,
              case when r.exit_month_index = $3 then r.exit_amount else 0 end, r.tax_rate,
              -- The renewal month's charge is the contract's 更新費用 (M:183), every line of it named so.
              case when r.renewal_month = $2 then 'RENEWAL_FEE' end
         from pg_temp.demo_billing_room r order by r.ordinal`,
      [month, m, mi],
    );
  }

  // Refund statements of the two months before the current one, for the named demo member.
  const sample = world.members.find((m) => m.memberNumber === '10000001');
  if (!sample) return;
  const refunds: Record<string, unknown>[] = [];
  const refundLines: Record<string, unknown>[] = [];
  for (const month of list.slice(-3, -1)) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const paid = refundDate(y, m, billingCalendar);
    const id = stableUuid(`refund:${sample.id}:${month}`);
    const mine = exits.filter((e) => e.room.memberId === sample.id && e.month <= month).slice(0, 4);
    const rows = (mine.length ? mine : (byMember.get(sample.id) ?? []).slice(0, 2).map((room, i) => ({ room, month, amount: 5005 - i * 352 }))).map((e, i) => ({
      id: stableUuid(`refund-line:${id}:${e.room.id}`), member_id: sample.id, refund_id: id, room_id: e.room.id, ap_no: e.room.property.apNo, property_name: e.room.property.name,
      room_number: e.room.roomNumber, member_number: sample.memberNumber, amount: Math.max(1, Math.round(e.amount / 7) + i), method: 'INDIVIDUAL', status: 'PAID',
    }));
    refundLines.push(...rows);
    refunds.push({ id, member_id: sample.id, refund_month: month, refund_date: paid, publish_date: refundStatementDate(paid, billingCalendar), amount: rows.reduce((s, r) => s + r.amount, 0), recipient_name: sample.name });
  }
  await bulkInsert(client, 'billing.refund', { id: 'uuid', member_id: 'uuid', refund_month: 'text', refund_date: 'date', publish_date: 'date', amount: 'int4', recipient_name: 'text' }, refunds);
  await bulkInsert(client, 'billing.refund_line', {
    id: 'uuid', member_id: 'uuid', refund_id: 'uuid', room_id: 'uuid', ap_no: 'text', property_name: 'text', room_number: 'text', member_number: 'text', amount: 'int4', method: 'text', status: 'text',
  }, refundLines);
  await bulkInsert(client, 'billing.refund_account', {
    id: 'uuid', member_id: 'uuid', bank_code: 'text', bank_name: 'text', branch_code: 'text', branch_name: 'text', account_type: 'text', account_number: 'text', holder_kana: 'text', holder_name: 'text', updated_at: 'timestamptz',
  }, [{ id: stableUuid(`refund-account:${sample.id}`), member_id: sample.id, bank_code: '0001', bank_name: 'みずほ', branch_code: '001', branch_name: '東京営業部', account_type: 'ORDINARY', account_number: '0000001', holder_kana: 'ｶ)ｻﾝﾌﾟﾙｼﾖｳｼﾞ', holder_name: sample.name, updated_at: `${list.at(-1)}-01T09:00:00+09:00` }]);
}

/** Billing's part of the demo world (run by tooling/demo-data's loader): invoices, holds, refunds, then the member and account read models. */
export const seedDemo: DemoSeeder = async (client, world) => {
  await seedBilling(client, world);
  await seedMemberRefs(client, world);
};
