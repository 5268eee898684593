import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyTimeStampToken } from '@portal/documents';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { InvoiceLine, type IInvoice, type InvoiceLineData } from '../invoice/invoice.entity.ts';
import { isUuid, type InvoiceLineFilter } from '../invoice/invoice.repository.ts';
import { InvoiceService } from '../invoice/invoice.service.ts';
import { appendAudit } from '../audit/audit-outbox.ts';
import { DocumentService, type DocumentLink } from '../document/document.service.ts';
import { itemsOf } from '../document/invoice-documents.ts';
import type { LineCategory } from '../hold/rules/held-amount.rule.ts';
import { TimestampReservation, type ITimestampReservation } from './timestamp.entity.ts';
import { timestampErrors } from './timestamp.errors.ts';
import { resolveSelection, totalOf, type AvailableItem, type Selection, type SelectionProblem } from './selection.rule.ts';
import { tsaOf } from './tsa-registry.ts';

type Ctx = SubgraphContext<BillingLoaders>;
const MAX_LINES = 50_000;

export interface SelectionInput {
  all?: boolean | null;
  items?: { lineId: string; category: LineCategory }[] | null;
  filter?: InvoiceLineFilter | null;
}

/** An item with its line, as listed on the 適格請求書出力 screen. */
export interface ListedItem extends AvailableItem {
  line: InvoiceLineData;
  printNo: number | null;
  reservationStatus: string | null;
  requestedByAccountId: string | null;
}

export interface SelectionResult {
  items: ListedItem[];
  itemCount: number;
  totalAmount: number;
  userErrors: UserError[];
}

function toSelection(input: SelectionInput): Selection | null {
  const modes = [input.all === true, input.items != null, input.filter != null].filter(Boolean).length;
  if (modes !== 1) return null;
  if (input.all) return { all: true };
  if (input.items) return { items: input.items };
  return { filtered: true };
}

function problemError(p: SelectionProblem): UserError {
  switch (p.code) {
    case 'NOTHING_SELECTED':
      return timestampErrors.nothingSelected();
    case 'ITEM_NOT_FOUND':
      return timestampErrors.itemNotFound(p.index);
    case 'EXIT_SETTLEMENT_NOT_SELECTABLE':
      return timestampErrors.exitSettlement(p.index);
    case 'ALREADY_RESERVED':
      return timestampErrors.alreadyReserved(p.index);
  }
}

/**
 * Time-stamp reservations of the qualified invoice (タイムスタンプ付与, manual p.5–7): select, confirm
 * (count and total), reserve (印刷No., requester, time, 予約中), cancel while 予約中; the nightly job
 * stamps (timestamp.job.ts); then download and verify.
 */
export class TimestampService {
  constructor(private readonly ctx: Ctx) {}

  /** The invoice's items with their reservation state; `filter` narrows the lines. Two statements. */
  async items(invoice: IInvoice, filter: InvoiceLineFilter | null, em: EntityManager = this.ctx.em): Promise<ListedItem[]> {
    const lines = filter
      ? (await new InvoiceService(this.ctx).lines(invoice.id, filter, MAX_LINES, null)).rows
      : await em.find(InvoiceLine, { invoice: invoice.id }, { orderBy: [{ apNo: 'asc' }, { roomNumber: 'asc' }, { id: 'asc' }], limit: MAX_LINES });
    const live = await em.execute<{ line_id: string; category: string; reservation_id: string; print_no: number; status: string; requested_by_account_id: string }[]>(
      `select i.line_id, i.category, r.id as reservation_id, r.print_no, r.status, r.requested_by_account_id
         from billing.timestamp_reservation_item i join billing.timestamp_reservation r on r.id = i.reservation_id
        where i.member_id = ? and r.invoice_id = ? and i.live`,
      [invoice.memberId, invoice.id],
    );
    const byKey = new Map(live.map((l) => [`${l.line_id}|${l.category}`, l]));
    return itemsOf(lines).map((item) => {
      const r = byKey.get(`${item.line.id}|${item.category}`);
      return {
        lineId: item.line.id, category: item.category, amount: item.amount, line: item.line as InvoiceLineData,
        reservationId: r?.reservation_id ?? null, printNo: r?.print_no ?? null, reservationStatus: r?.status ?? null, requestedByAccountId: r?.requested_by_account_id ?? null,
      };
    });
  }

  private async select(invoice: IInvoice, input: SelectionInput, em: EntityManager): Promise<SelectionResult> {
    const selection = toSelection(input);
    if (!selection) return { items: [], itemCount: 0, totalAmount: 0, userErrors: [timestampErrors.selectionInvalid()] };
    const available = await this.items(invoice, input.filter ?? null, em);
    const { items, problems } = resolveSelection(available, selection);
    const chosen = new Set(items.map((i) => `${i.lineId}|${i.category}`));
    const listed = available.filter((i) => chosen.has(`${i.lineId}|${i.category}`));
    return { items: listed, itemCount: listed.length, totalAmount: totalOf(listed), userErrors: problems.map(problemError) };
  }

  /** The confirmation step (選択印刷案件確認): what a selection would reserve, with count and total. */
  async preview(invoiceId: string, input: SelectionInput): Promise<SelectionResult> {
    const invoice = await new InvoiceService(this.ctx).byId(invoiceId);
    if (!invoice) return { items: [], itemCount: 0, totalAmount: 0, userErrors: [timestampErrors.invoiceNotFound()] };
    return this.select(invoice, input, this.ctx.em);
  }

  async reserve(input: { invoiceId: string; selection: SelectionInput; expectedItemCount: number; expectedTotalAmount: number }): Promise<{ reservation: ITimestampReservation | null; userErrors: UserError[] }> {
    const issued = await new InvoiceService(this.ctx).byId(input.invoiceId);
    if (!issued) return { reservation: null, userErrors: [timestampErrors.invoiceNotFound()] };
    return this.ctx.em.transactional(async (em) => {
      // The invoice row lock serialises reservations of one invoice: print numbers and the live-item index stay consistent.
      await em.execute('select id from billing.invoice where id = ? and member_id = ? for update', [issued.id, issued.memberId]);
      const selected = await this.select(issued, input.selection, em as EntityManager);
      if (selected.userErrors.length) return { reservation: null, userErrors: selected.userErrors };
      if (selected.itemCount !== input.expectedItemCount || selected.totalAmount !== input.expectedTotalAmount) return { reservation: null, userErrors: [timestampErrors.selectionChanged()] };
      const [{ next }] = (await em.execute<{ next: number }[]>('select coalesce(max(print_no), 0) + 1 as next from billing.timestamp_reservation where invoice_id = ? and member_id = ?', [issued.id, issued.memberId])) as [{ next: number }];
      const reservation = em.create(TimestampReservation, {
        id: randomUUID(), memberId: issued.memberId, invoiceId: issued.id, printNo: next, status: 'RESERVED', requestedByAccountId: this.ctx.identity.accountId!,
        requestedAt: this.ctx.clock.now(), cancelledAt: null, cancelledByAccountId: null, stampedAt: null, genTime: null, documentKey: null, tokenKey: null, documentSha256: null,
        itemCount: selected.itemCount, totalAmount: selected.totalAmount,
      });
      await em.flush();
      await em.execute(
        `insert into billing.timestamp_reservation_item (reservation_id, member_id, line_id, category, amount)
         select ?, ?, x.line_id, x.category, x.amount from jsonb_to_recordset(?::jsonb) as x(line_id uuid, category text, amount integer)`,
        [reservation.id, issued.memberId, JSON.stringify(selected.items.map((i) => ({ line_id: i.lineId, category: i.category, amount: i.amount })))],
        'run',
      );
      await appendAudit(em as EntityManager, this.ctx, {
        action: 'TIMESTAMP_RESERVED',
        target: { type: 'TimestampReservation', id: reservation.id, label: `${issued.billingMonth} 印刷No.${next}` },
        details: { invoiceId: issued.id, printNo: next, itemCount: selected.itemCount, totalAmount: selected.totalAmount },
      });
      return { reservation, userErrors: [] };
    });
  }

  async cancel(reservationId: string): Promise<{ reservation: ITimestampReservation | null; userErrors: UserError[] }> {
    return this.ctx.em.transactional(async (em) => {
      const reservation = isUuid(reservationId) ? await em.findOne(TimestampReservation, { id: reservationId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      if (!reservation) return { reservation: null, userErrors: [timestampErrors.reservationNotFound()] };
      if (reservation.status !== 'RESERVED') return { reservation: null, userErrors: [timestampErrors.notCancellable()] };
      if (reservation.requestedByAccountId !== this.ctx.identity.accountId && !this.ctx.identity.scopes.has('admin')) return { reservation: null, userErrors: [timestampErrors.notRequester()] };
      reservation.status = 'CANCELLED';
      reservation.cancelledAt = this.ctx.clock.now();
      reservation.cancelledByAccountId = this.ctx.identity.accountId;
      await em.flush();
      await em.execute('update billing.timestamp_reservation_item set live = false where reservation_id = ? and member_id = ?', [reservation.id, reservation.memberId], 'run');
      await appendAudit(em as EntityManager, this.ctx, {
        action: 'TIMESTAMP_CANCELLED',
        target: { type: 'TimestampReservation', id: reservation.id, label: `印刷No.${reservation.printNo}` },
        details: { invoiceId: reservation.invoiceId, printNo: reservation.printNo },
      });
      return { reservation, userErrors: [] };
    });
  }

  byInvoices(invoiceIds: readonly string[]): Promise<ITimestampReservation[]> {
    return this.ctx.em.find(TimestampReservation, { invoiceId: { $in: [...invoiceIds] } }, { orderBy: { printNo: 'asc' } });
  }

  byId(id: string): Promise<ITimestampReservation | null> {
    return isUuid(id) ? this.ctx.em.findOne(TimestampReservation, { id }) : Promise.resolve(null);
  }

  /** The stamped PDF or its RFC 3161 token (DER, `.tsr`); only once 完了. The PDF raises the invoice's count. */
  async download(reservationId: string, part: 'DOCUMENT' | 'TOKEN'): Promise<DocumentLink> {
    const refused = (e: UserError): DocumentLink => ({ url: null, filename: null, contentType: null, expiresAt: null, printCount: null, userErrors: [e] });
    const reservation = isUuid(reservationId) ? await this.ctx.em.findOne(TimestampReservation, { id: reservationId }) : null;
    if (!reservation) return refused(timestampErrors.reservationNotFound());
    if (reservation.status !== 'COMPLETED' || !reservation.documentKey || !reservation.tokenKey) return refused(timestampErrors.notStamped());
    const invoice = await new InvoiceService(this.ctx).byId(reservation.invoiceId);
    const base = `適格請求書_${invoice?.billingMonth ?? ''}_印刷No${reservation.printNo}`;
    let printCount: number | null = null;
    if (part === 'DOCUMENT') {
      const [row] = await this.ctx.em.execute<{ print_count: number }[]>('update billing.invoice set print_count = print_count + 1 where id = ? and member_id = ? returning print_count', [reservation.invoiceId, reservation.memberId]);
      printCount = row?.print_count ?? null;
    }
    const key = part === 'DOCUMENT' ? reservation.documentKey : reservation.tokenKey;
    const filename = part === 'DOCUMENT' ? `${base}.pdf` : `${base}.pdf.tsr`;
    const contentType = part === 'DOCUMENT' ? 'application/pdf' : 'application/timestamp-reply';
    const link = new DocumentService(this.ctx).link(key, filename, contentType);
    return { ...link, printCount };
  }

  /** Checks a document against a time-stamp token with the configured TSA's CA (openssl ts -verify). */
  async verify(document: Uint8Array, token: Uint8Array): Promise<{ valid: boolean; genTime: Date | null; reason: string | null }> {
    const result = await verifyTimeStampToken(token, document, tsaOf(this.ctx.services).caCertPem);
    return { valid: result.ok, genTime: result.genTime ?? null, reason: result.ok ? null : (result.error ?? 'verification failed') };
  }
}
