import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { userError, type SubgraphContext, type UserError } from '@portal/subgraph-kit';
import { companyCalendar, jstDateOf } from '@portal/platform';
import type { BillingLoaders } from '../../loaders.ts';
import { appendAudit } from '../audit/audit-outbox.ts';
import { HoldRepository } from '../hold/hold.repository.ts';
import { parseInvoiceImport, type ImportedInvoice } from './invoice-import.rule.ts';

type Ctx = SubgraphContext<BillingLoaders>;
const MAX_REPORTED_PROBLEMS = 200;
const LINE_CHUNK = 5000;

export interface OperatorInvoiceRow {
  id: string;
  memberId: string;
  memberNumber: string | null;
  billingMonth: string;
  issueDate: string;
  dueDate: string;
  paymentMethod: string;
  totalAmount: number;
  status: string;
  confirmedAt: Date | null;
  lineCount: number;
  heldAmount: number;
  heldLineCount: number;
}

export interface OperatorInvoiceFilter {
  billingMonth?: string | null;
  status?: 'PUBLISHED' | 'CONFIRMED' | null;
  memberNumber?: string | null;
}

/**
 * The back office's side of billing. An operator's identity has no member, so nothing here goes
 * through the member filter: every statement names the member itself (from the file or the row).
 */
export class OperatorBillingService {
  constructor(private readonly ctx: Ctx) {
    if (ctx.identity.kind !== 'operator') throw new GraphQLError('Operators only', { extensions: { code: 'FORBIDDEN' } });
  }

  /** Validates the whole file, then writes every invoice and line in one transaction, or nothing. */
  async importInvoices(csv: string): Promise<{ invoices: OperatorInvoiceRow[]; lineCount: number; userErrors: UserError[] }> {
    const { problems, invoices } = parseInvoiceImport(csv, companyCalendar, jstDateOf(this.ctx.clock.now()));
    const fail = (errors: UserError[]) => ({ invoices: [], lineCount: 0, userErrors: errors });
    if (problems.length) {
      return fail(problems.slice(0, MAX_REPORTED_PROBLEMS).map((p) => userError(p.code, p.line === null ? 'csv' : `csv.line${p.line}${p.column ? `.${p.column}` : ''}`, { en: `${p.line ? `Line ${p.line}: ` : ''}${p.message}`, ja: `${p.line ? `${p.line}行目: ` : ''}${p.messageJa}` })));
    }
    return this.ctx.em.transactional(async (em) => {
      const existing = await em.execute<{ member_id: string; billing_month: string }[]>(
        `select i.member_id, i.billing_month from billing.invoice i join jsonb_to_recordset(?::jsonb) as x(member_id uuid, billing_month text)
           on i.member_id = x.member_id and i.billing_month = x.billing_month`,
        [JSON.stringify(invoices.map((i) => ({ member_id: i.memberId, billing_month: i.billingMonth })))],
      );
      if (existing.length) {
        const taken = new Set(existing.map((e) => `${e.member_id}|${e.billing_month}`));
        return fail(invoices.filter((i) => taken.has(`${i.memberId}|${i.billingMonth}`)).slice(0, MAX_REPORTED_PROBLEMS).map((i) => userError('INVOICE_EXISTS', `csv.line${i.lines[0]!.line}.billing_month`, {
          en: `Line ${i.lines[0]!.line}: member ${i.memberNumber} already has an invoice for ${i.billingMonth}.`,
          ja: `${i.lines[0]!.line}行目: 会員番号${i.memberNumber}の${i.billingMonth}の請求明細は登録済みです。`,
        })));
      }
      const ids = new Map<ImportedInvoice, string>(invoices.map((i) => [i, randomUUID()]));
      await em.execute(
        `insert into billing.invoice (id, member_id, billing_month, issue_date, late_published_on, due_date, payment_method, total_amount, recipient_name)
         select x.id, x.member_id, x.billing_month, x.issue_date, x.late_published_on, x.due_date, x.payment_method, x.total_amount, x.recipient_name
           from jsonb_to_recordset(?::jsonb) as x(id uuid, member_id uuid, billing_month text, issue_date date, late_published_on date, due_date date, payment_method text, total_amount integer, recipient_name text)`,
        [JSON.stringify(invoices.map((i) => ({ id: ids.get(i), member_id: i.memberId, recipient_name: i.memberName, billing_month: i.billingMonth, issue_date: i.issueDate, late_published_on: i.latePublishedOn, due_date: i.dueDate, payment_method: i.paymentMethod, total_amount: i.totalAmount })))],
        'run',
      );
      const lines = invoices.flatMap((i) => i.lines.map((l) => ({ ...l, invoice_id: ids.get(i), id: randomUUID() })));
      for (let k = 0; k < lines.length; k += LINE_CHUNK) {
        await em.execute(
          `insert into billing.invoice_line (id, member_id, invoice_id, billing_month, room_id, ap_no, property_name, room_number, member_number,
             next_month_usage_fee, annual_fee, minor_services_fee, exit_settlement, tax_rate, annual_fee_kind)
           select x.id, x.member_id, x.invoice_id, x.billing_month, x.room_id, x.ap_no, x.property_name, x.room_number, x.member_number,
             x.next_month_usage_fee, x.annual_fee, x.minor_services_fee, x.exit_settlement, x.tax_rate, case when x.annual_fee > 0 then x.annual_fee_kind end
             from jsonb_to_recordset(?::jsonb) as x(id uuid, member_id uuid, invoice_id uuid, billing_month text, room_id uuid, ap_no text, property_name text,
               room_number text, member_number text, next_month_usage_fee integer, annual_fee integer, minor_services_fee integer, exit_settlement integer, tax_rate smallint, annual_fee_kind text)`,
          [JSON.stringify(lines.slice(k, k + LINE_CHUNK))],
          'run',
        );
      }
      for (const i of invoices) {
        await appendAudit(em, this.ctx, {
          action: 'INVOICES_IMPORTED',
          memberId: i.memberId,
          target: { type: 'Invoice', id: ids.get(i)!, label: i.billingMonth },
          details: { billingMonth: i.billingMonth, issueDate: i.issueDate, latePublishedOn: i.latePublishedOn, dueDate: i.dueDate, totalAmount: i.totalAmount, lineCount: i.lines.length },
        });
      }
      const rows = await this.list({ ids: [...ids.values()] }, em as Ctx['em']);
      return { invoices: rows, lineCount: lines.length, userErrors: [] };
    });
  }

  /** Invoices across members for the back office: status (確定 or not), totals before and after holds. */
  async list(filter: OperatorInvoiceFilter & { ids?: string[] }, em: Ctx['em'] = this.ctx.em, first = 500): Promise<OperatorInvoiceRow[]> {
    const conditions: string[] = ['true'];
    const params: unknown[] = [];
    if (filter.ids) (conditions.push('i.id in (?)'), params.push(filter.ids));
    if (filter.billingMonth) (conditions.push('i.billing_month = ?'), params.push(filter.billingMonth));
    if (filter.status) (conditions.push('i.status = ?'), params.push(filter.status));
    if (filter.memberNumber) (conditions.push('exists (select 1 from billing.invoice_line l where l.invoice_id = i.id and l.member_number = ?)'), params.push(filter.memberNumber));
    const rows = await em.execute<Record<string, unknown>[]>(
      `select i.id, i.member_id, i.billing_month, i.issue_date::text as issue_date, i.due_date::text as due_date, i.payment_method, i.total_amount, i.status,
              to_char(i.confirmed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as confirmed_at_iso,
              (select count(*) from billing.invoice_line l where l.invoice_id = i.id)::int as line_count,
              (select l.member_number from billing.invoice_line l where l.invoice_id = i.id limit 1) as member_number
         from billing.invoice i where ${conditions.join(' and ')}
        order by i.billing_month desc, i.member_id limit ?`,
      [...params, first],
    );
    const summaries = rows.length ? await new HoldRepository(em).summaries(rows.map((r) => r.id as string), null) : new Map();
    return rows.map((r) => ({
      id: r.id as string, memberId: r.member_id as string, memberNumber: (r.member_number as string | null) ?? null, billingMonth: r.billing_month as string,
      issueDate: r.issue_date as string, dueDate: r.due_date as string, paymentMethod: r.payment_method as string, totalAmount: r.total_amount as number,
      status: r.status as string, confirmedAt: r.confirmed_at_iso ? new Date(r.confirmed_at_iso as string) : null, lineCount: r.line_count as number,
      heldAmount: summaries.get(r.id as string)?.heldAmount ?? 0, heldLineCount: summaries.get(r.id as string)?.heldLineCount ?? 0,
    }));
  }
}
