import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Invoice, InvoiceLine, type IInvoice, type IInvoiceLine, type InvoiceLineData } from './invoice.entity.ts';

export type InvoiceLineCategory = 'NEXT_MONTH_USAGE_FEE' | 'ANNUAL_FEE' | 'MINOR_SERVICES_FEE' | 'EXIT_SETTLEMENT';

const CATEGORY_COLUMN: Record<InvoiceLineCategory, string> = {
  NEXT_MONTH_USAGE_FEE: 'next_month_usage_fee',
  ANNUAL_FEE: 'annual_fee',
  MINOR_SERVICES_FEE: 'minor_services_fee',
  EXIT_SETTLEMENT: 'exit_settlement',
};

export interface InvoiceLineFilter {
  apNo?: string | null;
  propertyName?: string | null;
  roomNumber?: string | null;
  memberNumber?: string | null;
  category?: InvoiceLineCategory | null;
  held?: boolean | null;
}

/** Keyset position inside an invoice: lines are listed by APNo, room number, id. */
export interface LineCursor {
  apNo: string;
  roomNumber: string;
  id: string;
}

/**
 * An invoice line as the line pages return it: plain read-only data with the entity's property
 * names (the invoice as its id). No entity is created for a page of up to 1,000 lines: hydrating
 * them was half of billing's CPU for a 1,000-line page (BENCHMARKS.md).
 */
export type InvoiceLineView = InvoiceLineData & { invoiceId: string };

function lineView(r: Record<string, unknown>): InvoiceLineView {
  return {
    id: r.id as string,
    memberId: r.member_id as string,
    invoiceId: r.invoice_id as string,
    billingMonth: r.billing_month as string,
    roomId: r.room_id as string,
    apNo: r.ap_no as string,
    propertyName: r.property_name as string,
    roomNumber: r.room_number as string,
    memberNumber: r.member_number as string,
    nextMonthUsageFee: r.next_month_usage_fee as number,
    annualFee: r.annual_fee as number,
    annualFeeKind: (r.annual_fee_kind as string | null) ?? null,
    minorServicesFee: r.minor_services_fee as number,
    exitSettlement: r.exit_settlement as number,
    taxRate: r.tax_rate as number,
    total: r.total as number,
    createdAt: r.created_at as Date,
  };
}

export interface LinePage {
  rows: InvoiceLineView[];
  hasNextPage: boolean;
  totalCount: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * Queries on invoices and their lines. Member scoping comes from the default `member` filter; the one
 * hand-written statement (per-invoice paging, which the ORM cannot express) reads the same filter
 * parameter the request bound, so it is scoped by the very same value.
 */
export class InvoiceRepository {
  constructor(private readonly em: EntityManager) {}

  /** Issued invoices (issue date on or before `today`), newest billing month first, after `afterMonth`. */
  async page(today: string, first: number, afterMonth: string | null): Promise<{ rows: IInvoice[]; hasNextPage: boolean }> {
    const where: FilterQuery<IInvoice> = afterMonth ? { issueDate: { $lte: today }, billingMonth: { $lt: afterMonth } } : { issueDate: { $lte: today } };
    const rows = await this.em.find(Invoice, where, { orderBy: { billingMonth: 'desc' }, limit: first + 1 });
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(today: string): Promise<number> {
    return this.em.count(Invoice, { issueDate: { $lte: today } });
  }

  byId(id: string, today: string): Promise<IInvoice | null> {
    return this.em.findOne(Invoice, { id, issueDate: { $lte: today } });
  }

  /** The newest invoice published by `today` (latest publication day, then latest month). */
  latestPublished(today: string): Promise<IInvoice | null> {
    return this.em.findOne(Invoice, { issueDate: { $lte: today } }, { orderBy: [{ issueDate: 'desc' }, { billingMonth: 'desc' }] });
  }

  /** Lines of issued invoices for many rooms at once; one month, or every month when `billingMonth` is null. */
  linesByRooms(roomIds: readonly string[], billingMonth: string | null, today: string): Promise<IInvoiceLine[]> {
    const where: FilterQuery<IInvoiceLine> = { roomId: { $in: [...roomIds] }, invoice: { issueDate: { $lte: today } } };
    if (billingMonth) (where as Record<string, unknown>).billingMonth = billingMonth;
    return this.em.find(InvoiceLine, where, { orderBy: [{ billingMonth: 'desc' }, { apNo: 'asc' }, { roomNumber: 'asc' }, { id: 'asc' }] });
  }

  /**
   * One page of lines for each of several invoices, in two statements whatever their number: the page
   * (row_number per invoice after the cursor) and the filtered counts.
   */
  async linePages(invoiceIds: readonly string[], filter: InvoiceLineFilter | null | undefined, first: number, after: LineCursor | null): Promise<Map<string, LinePage>> {
    const memberId = this.em.getFilterParams<{ memberId?: string }>('member')?.memberId;
    if (!memberId) throw new Error('invoice lines read without a bound member filter');
    const conditions = ['l.member_id = ?', 'l.invoice_id in (?)'];
    const params: unknown[] = [memberId, [...invoiceIds]];
    const f = filter ?? {};
    if (f.apNo) (conditions.push('l.ap_no = ?'), params.push(f.apNo));
    if (f.propertyName) (conditions.push("l.property_name ilike ? escape '\\'"), params.push(`%${escapeLike(f.propertyName)}%`));
    if (f.roomNumber) (conditions.push('l.room_number = ?'), params.push(f.roomNumber));
    if (f.memberNumber) (conditions.push('l.member_number = ?'), params.push(f.memberNumber));
    if (f.category) conditions.push(`l.${CATEGORY_COLUMN[f.category]} <> 0`);
    if (f.held === true || f.held === false) conditions.push(`${f.held ? '' : 'not '}exists (select 1 from billing.invoice_hold h where h.line_id = l.id)`);
    const where = conditions.join(' and ');

    const pageWhere = after ? `${where} and (l.ap_no, l.room_number, l.id) > (?, ?, ?::uuid)` : where;
    const pageParams = after ? [...params, after.apNo, after.roomNumber, after.id] : params;
    const conn = this.em.getConnection();
    const [rows, counts] = await Promise.all([
      conn.execute<Record<string, unknown>[]>(
        `select * from (
           select l.*, row_number() over (partition by l.invoice_id order by l.ap_no, l.room_number, l.id) as page_rn
             from billing.invoice_line l
            where ${pageWhere}
         ) p
         where p.page_rn <= ?
         order by p.invoice_id, p.page_rn`,
        [...pageParams, first + 1],
      ),
      conn.execute<{ invoice_id: string; n: string }[]>(`select l.invoice_id, count(*) as n from billing.invoice_line l where ${where} group by l.invoice_id`, params),
    ]);

    const pages = new Map<string, LinePage>(invoiceIds.map((id) => [id, { rows: [], hasNextPage: false, totalCount: 0 }]));
    for (const { invoice_id, n } of counts) pages.get(invoice_id)!.totalCount = Number(n);
    for (const row of rows) {
      const page = pages.get(row.invoice_id as string)!;
      if (page.rows.length === first) {
        page.hasNextPage = true;
        continue;
      }
      page.rows.push(lineView(row));
    }
    return pages;
  }
}

export function encodeLineCursor(c: LineCursor): string {
  return Buffer.from(JSON.stringify([c.apNo, c.roomNumber, c.id])).toString('base64url');
}

export function decodeLineCursor(cursor: string): LineCursor | null {
  try {
    const [apNo, roomNumber, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof apNo !== 'string' || typeof roomNumber !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
    return { apNo, roomNumber, id };
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A malformed id behaves like an unknown one (null), never like a database error. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
