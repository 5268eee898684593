import { randomUUID } from 'node:crypto';
import type { Stack } from '@portal/testing';

export interface LineAmounts {
  nextMonthUsageFee?: number;
  annualFee?: number;
  /** What the annual fee is (年会費 / 維持手数料 / 更新費用); default RENEWAL_FEE when there is one. */
  annualFeeKind?: 'ANNUAL_FEE' | 'MAINTENANCE_FEE' | 'RENEWAL_FEE';
  minorServicesFee?: number;
  exitSettlement?: number;
  taxRate?: 8 | 10;
}

export interface InvoiceOptions {
  billingMonth: string;
  issueDate?: string;
  dueDate?: string;
  paymentMethod?: 'TRANSFER' | 'DIRECT_DEBIT';
  printCount?: number;
  recipientName?: string;
}

/**
 * A fluent seed for billing rows, written straight into the billing schema:
 *   const inv = await invoices(stack, member).invoice({ billingMonth: '2026-05' }).lines(rooms, { nextMonthUsageFee: 48550 }).save();
 * Room snapshots (APNo, property name, room number) are copied from tenancy as the operator's import would.
 */
export function invoices(stack: Stack, member: { id: string; memberNumber: string }) {
  return {
    invoice(options: InvoiceOptions) {
      const pending: { roomIds: string[]; amounts: LineAmounts }[] = [];
      const builder = {
        lines(rooms: readonly { id: string }[], amounts: LineAmounts = { nextMonthUsageFee: 48550 }) {
          pending.push({ roomIds: rooms.map((r) => r.id), amounts });
          return builder;
        },
        async save(): Promise<{ id: string; totalAmount: number }> {
          const id = randomUUID();
          const [y, m] = options.billingMonth.split('-');
          const issueDate = options.issueDate ?? `${y}-${m}-05`;
          const dueDate = options.dueDate ?? `${y}-${m}-28`;
          const totalAmount = pending.reduce((sum, p) => sum + p.roomIds.length * lineTotal(p.amounts), 0);
          await stack.sql(
            `insert into billing.invoice (id, member_id, billing_month, issue_date, due_date, payment_method, total_amount, print_count, recipient_name)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [id, member.id, options.billingMonth, issueDate, dueDate, options.paymentMethod ?? 'TRANSFER', totalAmount, options.printCount ?? 0, options.recipientName ?? null],
          );
          for (const { roomIds, amounts } of pending) {
            await stack.sql(
              `insert into billing.invoice_line (id, member_id, invoice_id, billing_month, room_id, ap_no, property_name, room_number, member_number,
                 next_month_usage_fee, annual_fee, minor_services_fee, exit_settlement, tax_rate, annual_fee_kind)
               select gen_random_uuid(), $1, $2, $3, r.id, p.ap_no, p.name, r.room_number, $4, $5, $6, $7, $8, $9, $11
                 from tenancy.room r join tenancy.property p on p.id = r.property_id
                where r.id = any($10::uuid[])`,
              [member.id, id, options.billingMonth, member.memberNumber, amounts.nextMonthUsageFee ?? 0, amounts.annualFee ?? 0,
                amounts.minorServicesFee ?? 0, amounts.exitSettlement ?? 0, amounts.taxRate ?? 10, roomIds,
                amounts.annualFee ? (amounts.annualFeeKind ?? 'RENEWAL_FEE') : null],
            );
          }
          return { id, totalAmount };
        },
      };
      return builder;
    },
  };
}

function lineTotal(a: LineAmounts): number {
  return (a.nextMonthUsageFee ?? 0) + (a.annualFee ?? 0) + (a.minorServicesFee ?? 0) + (a.exitSettlement ?? 0);
}

/**
 * Many rooms of one member in one property, in three statements (stack.seed.rooms makes four per room,
 * too slow for a thousand). Test data only: the subgraphs never write across schemas.
 */
export async function bulkRooms(stack: Stack, memberId: string, count: number): Promise<{ id: string }[]> {
  const apNo = `B${randomUUID().replaceAll('-', '').slice(0, 9)}`;
  const propertyId = randomUUID();
  await stack.sql(`insert into tenancy.property (id, ap_no, name, prefecture, city, street) values ($1, $2, $3, '東京都', '中野区', '1-2-3')`, [propertyId, apNo, `レオパレス${apNo}`]);
  const rows = await stack.sql<{ id: string }>(
    `insert into tenancy.room (id, member_id, property_id, room_number, has_smartlock, move_in_date)
     select gen_random_uuid(), $1, $2, lpad(i::text, 4, '0'), false, '2025-04-01' from generate_series(1, $3::int) i
     returning id`,
    [memberId, propertyId, count],
  );
  await stack.sql(
    `insert into tenancy.lease (id, member_id, room_id, contract_number, start_date)
     select gen_random_uuid(), $1, r.id, 'C' || substr(replace(r.id::text, '-', ''), 1, 18), '2025-04-01' from tenancy.room r where r.id = any($2::uuid[])`,
    [memberId, rows.map((r) => r.id)],
  );
  return rows;
}
