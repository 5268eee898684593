import { z } from 'zod';
import { LockMode } from '@mikro-orm/core';
import { jstDateOf, jstDate, enqueueMail, fromMikroOrm } from '@portal/platform';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { Invoice, type IInvoice } from '../invoice/invoice.entity.ts';
import { isUuid } from '../invoice/invoice.repository.ts';
import { appendAudit } from '../audit/audit-outbox.ts';
import { HoldRepository } from './hold.repository.ts';
import { holdErrors } from './hold.errors.ts';
import { HOLD_REASON_MAX, HOLD_TARGETS, LINE_CATEGORIES, normaliseReason, type HoldTarget, type LineCategory } from './rules/held-amount.rule.ts';
import { confirmationDeadline, isBeforeClosing } from './rules/closing-day.rule.ts';

type Ctx = SubgraphContext<BillingLoaders>;

const MAX_ITEMS = 5000;
const saveInput = z.object({
  invoiceId: z.string(),
  hold: z.array(z.object({ lineId: z.string(), target: z.enum(HOLD_TARGETS), reason: z.string().nullish() })).max(MAX_ITEMS).default([]),
  holdColumns: z.array(z.object({ category: z.enum(LINE_CATEGORIES as [LineCategory, ...LineCategory[]]), reason: z.string().nullish() })).max(4).default([]),
  release: z.array(z.object({ lineId: z.string(), target: z.enum(HOLD_TARGETS) })).max(MAX_ITEMS).default([]),
});
export type SaveHoldsInput = z.input<typeof saveInput>;

export type Result = { invoice: IInvoice | null; userErrors: UserError[] };

/** The operator's notification address when the deployment does not set PORTAL_OPERATOR_MAIL. */
export const DEFAULT_OPERATOR_MAIL = 'billing-office@portal.example.jp';

/**
 * Holds (保留), save and confirmation (確定) of the caller's member's invoice. Every change runs in one
 * transaction with its audit entry (and, for a confirmation, the operator's mail): a refused request
 * leaves nothing behind.
 */
export class HoldService {
  constructor(private readonly ctx: Ctx) {}

  /** The invoice locked for the change, or the user error that stops it. */
  private async lockOpen(em: Ctx['em'], invoiceId: string): Promise<{ invoice: IInvoice } | { error: UserError }> {
    const today = jstDateOf(this.ctx.clock.now());
    const invoice = isUuid(invoiceId) ? await em.findOne(Invoice, { id: invoiceId, issueDate: { $lte: today } }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (!invoice) return { error: holdErrors.invoiceNotFound('invoiceId') };
    if (invoice.status === 'CONFIRMED') return { error: holdErrors.confirmed() };
    const issue = jstDate(toDateString(invoice.issueDate));
    const late = invoice.latePublishedOn ? jstDate(toDateString(invoice.latePublishedOn)) : null;
    if (!isBeforeClosing(this.ctx.clock.now(), issue, late)) return { error: holdErrors.closingDayPassed(confirmationDeadline(issue, late)) };
    return { invoice };
  }

  async save(raw: unknown): Promise<Result> {
    const input = saveInput.parse(raw);
    const errors: UserError[] = [];
    const hold = input.hold.map((h, i) => {
      const reason = normaliseReason(h.reason);
      if (!reason) errors.push(holdErrors.reasonRequired(`hold.${i}.reason`));
      else if (reason.length > HOLD_REASON_MAX) errors.push(holdErrors.reasonTooLong(`hold.${i}.reason`));
      return { lineId: h.lineId, target: h.target, reason: reason ?? '' };
    });
    const columns = input.holdColumns.map((c, i) => {
      const reason = normaliseReason(c.reason);
      if (!reason) errors.push(holdErrors.reasonRequired(`holdColumns.${i}.reason`));
      else if (reason.length > HOLD_REASON_MAX) errors.push(holdErrors.reasonTooLong(`holdColumns.${i}.reason`));
      return { category: c.category, reason: reason ?? '' };
    });
    if (!hold.length && !columns.length && !input.release.length) errors.push(holdErrors.nothingToSave());
    if (errors.length) return { invoice: null, userErrors: errors };

    return this.ctx.em.transactional(async (em): Promise<Result> => {
      const open = await this.lockOpen(em as Ctx['em'], input.invoiceId);
      if ('error' in open) return { invoice: null, userErrors: [open.error] };
      const repo = new HoldRepository(em as Ctx['em']);
      const ids = [...new Set([...hold.map((h) => h.lineId), ...input.release.map((r) => r.lineId)])];
      const lines = await repo.linesOf(open.invoice.id, ids.filter(isUuid));
      const unknown: UserError[] = [
        ...hold.map((h, i) => (lines.has(h.lineId) ? null : holdErrors.lineNotFound(`hold.${i}.lineId`))),
        ...input.release.map((r, i) => (lines.has(r.lineId) ? null : holdErrors.lineNotFound(`release.${i}.lineId`))),
      ].flatMap((e): UserError[] => (e ? [e] : []));
      if (unknown.length) return { invoice: null, userErrors: unknown };

      const now = this.ctx.clock.now();
      const released = await repo.release(open.invoice.id, input.release);
      await repo.upsert(open.invoice.id, hold, now, this.ctx.identity.accountId);
      const columnCounts: { category: LineCategory; reason: string; lines: number }[] = [];
      for (const c of columns) columnCounts.push({ ...c, lines: await repo.holdColumn(open.invoice.id, c.category, c.reason, now, this.ctx.identity.accountId) });
      await appendAudit(em as Ctx['em'], this.ctx, {
        action: 'INVOICE_HOLDS_SAVED',
        target: { type: 'Invoice', id: open.invoice.id, label: open.invoice.billingMonth },
        details: {
          held: hold.map((h) => ({ lineId: h.lineId, apNo: lines.get(h.lineId)!.apNo, roomNumber: lines.get(h.lineId)!.roomNumber, target: h.target, reason: h.reason })),
          heldColumns: columnCounts,
          released: input.release.map((r) => ({ lineId: r.lineId, apNo: lines.get(r.lineId)!.apNo, roomNumber: lines.get(r.lineId)!.roomNumber, target: r.target })),
          releasedCount: released,
        },
      });
      return { invoice: open.invoice, userErrors: [] };
    });
  }

  async confirm(invoiceId: string): Promise<Result> {
    return this.ctx.em.transactional(async (em): Promise<Result> => {
      const open = await this.lockOpen(em as Ctx['em'], invoiceId);
      if ('error' in open) return { invoice: null, userErrors: [open.error] };
      const invoice = open.invoice;
      const now = this.ctx.clock.now();
      const summary = (await new HoldRepository(em as Ctx['em']).summaries([invoice.id])).get(invoice.id)!;
      invoice.status = 'CONFIRMED';
      invoice.confirmedAt = now;
      invoice.confirmedByAccountId = this.ctx.identity.accountId;
      await em.flush();
      const [first] = await em.execute<{ member_number: string }[]>('select member_number from billing.invoice_line where invoice_id = ? limit 1', [invoice.id]);
      const memberNumber = first?.member_number ?? '(明細なし)';
      const changed = invoice.totalAmount - summary.heldAmount;
      const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;
      await enqueueMail(fromMikroOrm(em), this.ctx.services.mailSchema, {
        to: (this.ctx.services.settings.PORTAL_OPERATOR_MAIL as string | undefined) ?? DEFAULT_OPERATOR_MAIL,
        subject: `【法人WEBシステム】請求明細の確定 会員番号 ${memberNumber} ${invoice.billingMonth}`,
        text: [
          '法人会員が請求明細を確定しました。',
          `会員番号: ${memberNumber}`,
          `請求年月: ${invoice.billingMonth}`,
          `請求金額合計: ${yen(invoice.totalAmount)}`,
          `変更後金額合計: ${yen(changed)}（保留 ${summary.heldLineCount} 件 ${yen(summary.heldAmount)}）`,
          `確定日時: ${now.toISOString()}`,
          `請求明細ID: ${invoice.id}`,
        ].join('\n'),
      });
      await appendAudit(em as Ctx['em'], this.ctx, {
        action: 'INVOICE_CONFIRMED',
        target: { type: 'Invoice', id: invoice.id, label: invoice.billingMonth },
        details: { totalAmount: invoice.totalAmount, changedTotalAmount: changed, heldLineCount: summary.heldLineCount },
      });
      return { invoice, userErrors: [] };
    });
  }
}

/** MikroORM hands `date` columns back as strings or Dates depending on the driver's parsing. */
export function toDateString(value: unknown): string {
  return value instanceof Date ? jstDateOf(value) : String(value).slice(0, 10);
}
