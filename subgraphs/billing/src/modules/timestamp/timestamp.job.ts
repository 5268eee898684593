import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { renderPdf, sha256, inspectTimeStampToken } from '@portal/documents';
import type { PlatformServices } from '@portal/subgraph-kit';
import type { Clock } from '@portal/platform';
import { Invoice, InvoiceLine, type IInvoiceLine } from '../invoice/invoice.entity.ts';
import { qualifiedInvoiceSpec, type InvoiceItem } from '../document/invoice-documents.ts';
import type { ConfiguredTsa } from './tsa-registry.ts';

/** The nightly run (タイムスタンプの付与は夜間に行われます): 02:00 Asia/Tokyo. */
export const TIMESTAMP_JOB = 'billing-timestamp-nightly';
export const TIMESTAMP_SCHEDULE = '0 2 * * *';

/**
 * Stamps every reservation still 予約中, one transaction each, oldest first: renders the qualified
 * invoice of the reserved items, obtains an RFC 3161 token over its SHA-256 from the TSA, stores both
 * files and moves the reservation to 完了. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
 * workers never stamp one twice, and a cancellation racing the stamp waits and then finds it 完了.
 * A TSA failure leaves the reservation 予約中 for the next run (and fails the job so pg-boss retries).
 * Runs across members: the operator side of billing, with the member filter off explicitly.
 */
export async function stampReservations(orm: MikroORM, services: Pick<PlatformServices, 'files'>, tsa: ConfiguredTsa, clock: Clock): Promise<{ stamped: number; failed: number }> {
  let stamped = 0;
  let failed = 0;
  const skip = new Set<string>();
  for (;;) {
    const em = orm.em.fork() as EntityManager;
    const outcome = await em.transactional(async (tx) => {
      const [row] = await tx.execute<{ id: string; member_id: string; invoice_id: string; print_no: number }[]>(
        `select id, member_id, invoice_id, print_no from billing.timestamp_reservation
          where status = 'RESERVED' and not (id = any(?::uuid[])) order by requested_at, id limit 1 for update skip locked`,
        [`{${[...skip].join(',')}}`],
      );
      if (!row) return 'done' as const;
      try {
        const invoice = await tx.findOneOrFail(Invoice, { id: row.invoice_id, memberId: row.member_id }, { filters: false });
        const picked = await tx.execute<{ line_id: string; category: InvoiceItem['category']; amount: number }[]>(
          'select line_id, category, amount from billing.timestamp_reservation_item where reservation_id = ? and member_id = ?',
          [row.id, row.member_id],
        );
        const lines = await tx.find(InvoiceLine, { id: { $in: picked.map((p) => p.line_id) }, memberId: row.member_id }, { filters: false, orderBy: [{ apNo: 'asc' }, { roomNumber: 'asc' }, { id: 'asc' }] });
        const order = new Map<string, number>(lines.map((l, i) => [l.id, i]));
        const byId = new Map<string, IInvoiceLine>(lines.map((l) => [l.id, l]));
        const items: InvoiceItem[] = picked
          .map((p) => ({ line: byId.get(p.line_id)!, category: p.category, amount: p.amount }))
          .sort((a, b) => order.get(a.line.id)! - order.get(b.line.id)! || a.category.localeCompare(b.category));
        const pdf = await renderPdf(qualifiedInvoiceSpec(invoice, items, { documentNumber: `${invoice.billingMonth.replace('-', '')}-TS${String(row.print_no).padStart(4, '0')}` }));
        const digest = sha256(pdf);
        const token = await tsa.tsa.stamp(digest);
        const { genTime } = inspectTimeStampToken(token);
        const folder = `timestamps/${row.member_id}/${row.invoice_id}/${row.id}`;
        await services.files.put(`${folder}/document.pdf`, pdf);
        await services.files.put(`${folder}/document.pdf.tsr`, token);
        await tx.execute(
          `update billing.timestamp_reservation set status = 'COMPLETED', stamped_at = ?, gen_time = ?, document_key = ?, token_key = ?, document_sha256 = ?
            where id = ? and status = 'RESERVED'`,
          [clock.now(), genTime ?? null, `${folder}/document.pdf`, `${folder}/document.pdf.tsr`, digest.toString('hex'), row.id],
          'run',
        );
        return 'stamped' as const;
      } catch (err) {
        skip.add(row.id);
        console.error(`time stamp of reservation ${row.id} failed; it stays 予約中`, err);
        return 'failed' as const;
      }
    });
    if (outcome === 'done') break;
    if (outcome === 'stamped') stamped++;
    else failed++;
  }
  return { stamped, failed };
}
