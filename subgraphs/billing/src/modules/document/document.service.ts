import { randomUUID } from 'node:crypto';
import { renderPdf, timeStampDocument, toCsv, tsaOf, CsvEncodingError, type CsvCell } from '@portal/documents';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { InvoiceLine, type IInvoice, type IInvoiceLine } from '../invoice/invoice.entity.ts';
import type { InvoiceLineFilter } from '../invoice/invoice.repository.ts';
import { InvoiceService } from '../invoice/invoice.service.ts';
import { HoldRepository } from '../hold/hold.repository.ts';
import { documentErrors } from './document.errors.ts';
import { annualFeeLabel } from '../invoice/rules/annual-fee-kind.rule.ts';
import { CSV_HEADER, itemsOf, qualifiedInvoiceSpec, statementSpec } from './invoice-documents.ts';

type Ctx = SubgraphContext<BillingLoaders>;

export interface DocumentLink {
  url: string | null;
  filename: string | null;
  contentType: string | null;
  expiresAt: Date | null;
  printCount: number | null;
  /** For a document stamped when generated: a signed link to its RFC 3161 token (`.tsr`) and the stamped time. */
  timestampTokenUrl?: string | null;
  timestampGenTime?: Date | null;
  userErrors: UserError[];
}

/** Links live 5 minutes: enough to start the download, short enough that a forwarded link dies. */
export const LINK_TTL_SECONDS = 300;
const MAX_DOCUMENT_LINES = 50_000;

/** A document payload without a link (a refusal). */
export const NO_LINK = { url: null, filename: null, contentType: null, expiresAt: null, printCount: null } as const;
const refused = (error: UserError): DocumentLink => ({ ...NO_LINK, userErrors: [error] });

/**
 * Invoice documents as files behind signed links: the statement (請求明細書, whole or selected lines),
 * the qualified invoice (適格請求書), and the lines as CSV for Excel. Printing and downloading a PDF
 * raise the invoice's print/download count (印刷・ダウンロード回数) in the same statement as the check.
 */
export class DocumentService {
  constructor(private readonly ctx: Ctx) {}

  private async issued(invoiceId: string): Promise<IInvoice | null> {
    return new InvoiceService(this.ctx).byId(invoiceId);
  }

  private async lines(invoice: IInvoice): Promise<IInvoiceLine[]> {
    return this.ctx.em.find(InvoiceLine, { invoice: invoice.id }, { orderBy: [{ apNo: 'asc' }, { roomNumber: 'asc' }, { id: 'asc' }], limit: MAX_DOCUMENT_LINES });
  }

  async publish(bytes: Uint8Array, folder: string, filename: string, contentType: string, printCount: number | null): Promise<DocumentLink> {
    const key = `${folder}/${randomUUID()}${filename.slice(filename.lastIndexOf('.'))}`;
    await this.ctx.services.files.put(key, bytes);
    return { ...this.link(key, filename, contentType), printCount };
  }

  /**
   * A PDF the manual says carries a time stamp (請求明細書, M:93–94): an RFC 3161 token over its SHA-256 from
   * the configured TSA, stored beside the PDF, both behind signed links; `verifyTimestamp` or
   * `openssl ts -verify` checks them. A TSA failure is a system fault: nothing is counted or stored.
   */
  async publishStamped(pdf: Uint8Array, folder: string, filename: string, count: () => Promise<number>): Promise<DocumentLink> {
    const stamped = await timeStampDocument(tsaOf(this.ctx.services).tsa, pdf);
    const printCount = await count();
    const link = await this.publish(pdf, folder, filename, 'application/pdf', printCount);
    const tokenKey = `${folder}/${randomUUID()}.pdf.tsr`;
    await this.ctx.services.files.put(tokenKey, stamped.token);
    const token = this.link(tokenKey, `${filename}.tsr`, 'application/timestamp-reply');
    return { ...link, timestampTokenUrl: token.url, timestampGenTime: stamped.genTime ?? null };
  }

  /** A signed, short-lived link to a stored file, issued to the caller's member. */
  link(key: string, filename: string, contentType: string): DocumentLink {
    const memberId = this.ctx.identity.memberId ?? undefined;
    const url = this.ctx.services.downloadUrl({ key, filename, contentType, ttlSeconds: LINK_TTL_SECONDS, memberId });
    return { url, filename, contentType, expiresAt: new Date(this.ctx.clock.now().getTime() + LINK_TTL_SECONDS * 1000), printCount: null, userErrors: [] };
  }

  /** Raises the print/download count; returns the new count. */
  private async count(invoice: IInvoice): Promise<number> {
    const [row] = await this.ctx.em.execute<{ print_count: number }[]>('update billing.invoice set print_count = print_count + 1 where id = ? and member_id = ? returning print_count', [invoice.id, invoice.memberId]);
    return row!.print_count;
  }

  async statement(invoiceId: string, lineIds: readonly string[] | null): Promise<DocumentLink> {
    const invoice = await this.issued(invoiceId);
    if (!invoice) return refused(documentErrors.invoiceNotFound());
    let lines = await this.lines(invoice);
    if (lineIds) {
      if (!lineIds.length) return refused(documentErrors.noLines());
      const byId = new Map(lines.map((l) => [l.id, l]));
      const missing = lineIds.findIndex((id) => !byId.has(id));
      if (missing >= 0) return refused(documentErrors.lineNotFound(missing));
      const wanted = new Set(lineIds);
      lines = lines.filter((l) => wanted.has(l.id));
    }
    const pdf = await renderPdf(statementSpec(invoice, lines, !!lineIds));
    return this.publishStamped(pdf, `invoices/${invoice.memberId}/${invoice.id}`, `請求明細書_${invoice.billingMonth}${lineIds ? '_選択' : ''}.pdf`, () => this.count(invoice));
  }

  async qualifiedInvoice(invoiceId: string): Promise<DocumentLink> {
    const invoice = await this.issued(invoiceId);
    if (!invoice) return refused(documentErrors.invoiceNotFound());
    const pdf = await renderPdf(qualifiedInvoiceSpec(invoice, itemsOf(await this.lines(invoice))));
    const printCount = await this.count(invoice);
    return this.publish(pdf, `invoices/${invoice.memberId}/${invoice.id}`, `適格請求書_${invoice.billingMonth}.pdf`, 'application/pdf', printCount);
  }

  /** The lines as CSV (CRLF) in UTF-8 with BOM or Shift_JIS (cp932); a character cp932 lacks is refused, never replaced by '?'. */
  async csv(invoiceId: string, encoding: 'UTF8_BOM' | 'CP932', filter: InvoiceLineFilter | null): Promise<DocumentLink> {
    const invoice = await this.issued(invoiceId);
    if (!invoice) return refused(documentErrors.invoiceNotFound());
    const page = await new InvoiceService(this.ctx).lines(invoice.id, filter, MAX_DOCUMENT_LINES, null);
    const holds = await new HoldRepository(this.ctx.em).byLines(page.rows.map((l) => l.id));
    const held = new Set(holds.map((h) => h.lineId));
    const rows: CsvCell[][] = page.rows.map((l) => [l.billingMonth, l.apNo, l.propertyName, l.roomNumber, l.memberNumber, l.nextMonthUsageFee, l.annualFee, l.minorServicesFee, l.exitSettlement, l.total, l.taxRate, held.has(l.id) ? '保留' : '', l.annualFee > 0 ? annualFeeLabel(l.annualFeeKind) : '']);
    let bytes: Buffer;
    try {
      bytes = toCsv(CSV_HEADER, rows, encoding === 'CP932' ? 'cp932' : 'utf8-bom');
    } catch (err) {
      if (err instanceof CsvEncodingError) return refused(documentErrors.unmappable(err.message, (err as CsvEncodingError & { messageJa?: string }).messageJa ?? err.message));
      throw err;
    }
    const suffix = encoding === 'CP932' ? 'sjis' : 'utf8';
    return this.publish(bytes, `invoices/${invoice.memberId}/${invoice.id}`, `請求明細_${invoice.billingMonth}_${suffix}.csv`, `text/csv; charset=${encoding === 'CP932' ? 'Shift_JIS' : 'utf-8'}`, null);
  }
}
