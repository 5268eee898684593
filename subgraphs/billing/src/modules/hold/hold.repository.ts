import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { InvoiceHold, type IInvoiceHold } from './hold.entity.ts';
import { heldAmount, type HoldTarget, type LineAmounts, type LineCategory } from './rules/held-amount.rule.ts';

const CATEGORY_COLUMN: Record<LineCategory, string> = {
  NEXT_MONTH_USAGE_FEE: 'next_month_usage_fee',
  ANNUAL_FEE: 'annual_fee',
  MINOR_SERVICES_FEE: 'minor_services_fee',
  EXIT_SETTLEMENT: 'exit_settlement',
};

export interface HoldSummary {
  heldAmount: number;
  heldLineCount: number;
}

/** Queries and writes on holds. Reads go through the member filter; writes name the member explicitly. */
export class HoldRepository {
  constructor(private readonly em: EntityManager) {}

  private memberId(): string {
    const id = this.em.getFilterParams<{ memberId?: string }>('member')?.memberId;
    if (!id) throw new Error('holds read without a bound member filter');
    return id;
  }

  byLines(lineIds: readonly string[]): Promise<IInvoiceHold[]> {
    return this.em.find(InvoiceHold, { lineId: { $in: [...lineIds] } }, { orderBy: { heldAt: 'asc', target: 'asc' } });
  }

  /** Held amount and held line count per invoice, computed with the held-amount rule from one statement; memberId null: operators, any member. */
  async summaries(invoiceIds: readonly string[], memberId: string | null = this.memberId()): Promise<Map<string, HoldSummary>> {
    const rows = await this.em.getConnection().execute<(LineAmounts & { invoiceId: string; lineId: string; target: HoldTarget })[]>(
      `select h.invoice_id as "invoiceId", h.line_id as "lineId", h.target, l.next_month_usage_fee as "nextMonthUsageFee", l.annual_fee as "annualFee",
              l.minor_services_fee as "minorServicesFee", l.exit_settlement as "exitSettlement"
         from billing.invoice_hold h join billing.invoice_line l on l.id = h.line_id
        where (h.member_id = ? or ?::uuid is null) and h.invoice_id in (?)`,
      [memberId, memberId, [...invoiceIds]],
    );
    const perLine = new Map<string, { invoiceId: string; line: LineAmounts; targets: HoldTarget[] }>();
    for (const r of rows) {
      const entry = perLine.get(r.lineId) ?? { invoiceId: r.invoiceId, line: r, targets: [] };
      entry.targets.push(r.target);
      perLine.set(r.lineId, entry);
    }
    const out = new Map<string, HoldSummary>(invoiceIds.map((id) => [id, { heldAmount: 0, heldLineCount: 0 }]));
    for (const { invoiceId, line, targets } of perLine.values()) {
      const s = out.get(invoiceId)!;
      s.heldAmount += heldAmount(line, targets);
      s.heldLineCount += 1;
    }
    return out;
  }

  /** Which of `lineIds` are lines of the invoice (one statement). */
  async linesOf(invoiceId: string, lineIds: readonly string[]): Promise<Map<string, { apNo: string; roomNumber: string }>> {
    if (!lineIds.length) return new Map();
    const rows = await this.em.execute<{ id: string; ap_no: string; room_number: string }[]>(
      'select id, ap_no, room_number from billing.invoice_line where member_id = ? and invoice_id = ? and id in (?)',
      [this.memberId(), invoiceId, [...lineIds]],
    );
    return new Map(rows.map((r) => [r.id, { apNo: r.ap_no, roomNumber: r.room_number }]));
  }

  async release(invoiceId: string, items: readonly { lineId: string; target: HoldTarget }[]): Promise<number> {
    if (!items.length) return 0;
    const res = await this.em.execute<{ affectedRows: number }>(
      `delete from billing.invoice_hold h using jsonb_to_recordset(?::jsonb) as x(line_id uuid, target text)
        where h.member_id = ? and h.invoice_id = ? and h.line_id = x.line_id and h.target = x.target`,
      [JSON.stringify(items.map((i) => ({ line_id: i.lineId, target: i.target }))), this.memberId(), invoiceId],
      'run',
    );
    return res.affectedRows;
  }

  async upsert(invoiceId: string, items: readonly { lineId: string; target: HoldTarget; reason: string }[], at: Date, accountId: string | null): Promise<void> {
    if (!items.length) return;
    await this.em.execute(
      `insert into billing.invoice_hold (id, member_id, invoice_id, line_id, target, reason, held_at, held_by_account_id)
       select x.id, ?, ?, x.line_id, x.target, x.reason, ?, ? from jsonb_to_recordset(?::jsonb) as x(id uuid, line_id uuid, target text, reason text)
       on conflict (line_id, target) do update set reason = excluded.reason, held_at = excluded.held_at, held_by_account_id = excluded.held_by_account_id`,
      [this.memberId(), invoiceId, at, accountId, JSON.stringify(items.map((i) => ({ id: randomUUID(), line_id: i.lineId, target: i.target, reason: i.reason })))],
      'run',
    );
  }

  /** Bulk hold of a column (一括保留): every line of the invoice with an amount in the category. Returns the lines held. */
  async holdColumn(invoiceId: string, category: LineCategory, reason: string, at: Date, accountId: string | null): Promise<number> {
    const res = await this.em.execute<{ affectedRows: number }>(
      `insert into billing.invoice_hold (id, member_id, invoice_id, line_id, target, reason, held_at, held_by_account_id)
       select gen_random_uuid(), l.member_id, l.invoice_id, l.id, ?, ?, ?, ? from billing.invoice_line l
        where l.member_id = ? and l.invoice_id = ? and l.${CATEGORY_COLUMN[category]} <> 0
       on conflict (line_id, target) do update set reason = excluded.reason, held_at = excluded.held_at, held_by_account_id = excluded.held_by_account_id`,
      [category, reason, at, accountId, this.memberId(), invoiceId],
      'run',
    );
    return res.affectedRows;
  }
}
