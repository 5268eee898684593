import { jstDateOf } from '@portal/platform';
import type { SubgraphContext } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import type { IInvoice, IInvoiceLine } from './invoice.entity.ts';
import { InvoiceRepository, isUuid, type InvoiceLineFilter, type LineCursor, type LinePage } from './invoice.repository.ts';
import type { BillingMonth } from './rules/billing-month.rule.ts';

type Ctx = SubgraphContext<BillingLoaders>;

/**
 * Reading invoices as a member sees them: only issued ones (issue date on or before today, JST, by
 * the injected clock); the operator may load an invoice ahead of its publication day.
 */
export class InvoiceService {
  private readonly repo: InvoiceRepository;
  private readonly today: string;

  constructor(private readonly ctx: Ctx) {
    this.repo = new InvoiceRepository(ctx.em);
    this.today = jstDateOf(ctx.clock.now());
  }

  async page(first: number, afterMonth: BillingMonth | null): Promise<{ rows: IInvoice[]; hasNextPage: boolean; totalCount: number }> {
    const [page, totalCount] = await Promise.all([this.repo.page(this.today, first, afterMonth), this.repo.count(this.today)]);
    return { ...page, totalCount };
  }

  byId(id: string): Promise<IInvoice | null> {
    return isUuid(id) ? this.repo.byId(id, this.today) : Promise.resolve(null);
  }

  /**
   * The invoice the member acts on now: the newest one published by today. For a bank-transfer
   * member that is this month's from its 3rd business day on; for a direct-debit member, whose
   * invoice is published on the 27th, it is last month's (still confirmable until the 20th) from the
   * 1st to the 26th, not nothing. Null only before the member's first invoice is published.
   */
  current(): Promise<IInvoice | null> {
    return this.repo.latestPublished(this.today);
  }

  lines(invoiceId: string, filter: InvoiceLineFilter | null, first: number, after: LineCursor | null): Promise<LinePage> {
    return this.ctx.loaders.linePage.load({ invoiceId, filter: normalise(filter), first, after });
  }

  roomLines(roomId: string, billingMonth: BillingMonth | null): Promise<IInvoiceLine[]> {
    return this.ctx.loaders.roomLines.load({ roomId, billingMonth, today: this.today });
  }
}

/** Drops empty criteria so `{}` / `{ apNo: null }` / no filter batch together. */
function normalise(filter: InvoiceLineFilter | null): InvoiceLineFilter | null {
  if (!filter) return null;
  const entries = Object.entries(filter).filter(([, v]) => v !== null && v !== undefined && v !== '').sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? (Object.fromEntries(entries) as InvoiceLineFilter) : null;
}
