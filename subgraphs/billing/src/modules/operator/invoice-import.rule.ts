import { z } from 'zod';
import { parse } from 'csv-parse/sync';
import { jstDate, type BusinessCalendar, type JstDate } from '@portal/platform';
import { invoicePublicationDate } from '../invoice/rules/publication-date.rule.ts';
import { PAYMENT_METHODS, type PaymentMethod } from '../invoice/invoice.entity.ts';
import { parseAnnualFeeKind } from '../invoice/rules/annual-fee-kind.rule.ts';

/**
 * The operator's invoice file (docs/billing-invoice-import.md): CSV, UTF-8 (BOM allowed), a header
 * row with exactly these columns in any order, one row per room line; invoices are formed by
 * (member_id, billing_month). Parsing and validation are pure: the service only checks what needs
 * the database (an invoice that already exists) and writes.
 */
export const IMPORT_COLUMNS = [
  'member_id', 'member_number', 'billing_month', 'payment_method', 'due_date', 'room_id', 'ap_no', 'property_name', 'room_number',
  'next_month_usage_fee', 'annual_fee', 'minor_services_fee', 'exit_settlement', 'tax_rate',
] as const;
/**
 * Optional columns: `member_name`, the member's name as at issue, printed as the documents' recipient (宛名);
 * `annual_fee_kind`, what `annual_fee` is (年会費 / 維持手数料 / 更新費用, or ANNUAL_FEE / MAINTENANCE_FEE /
 * RENEWAL_FEE), required on a row whose annual_fee is not 0: documents name the charge.
 */
export const OPTIONAL_IMPORT_COLUMNS = ['member_name', 'annual_fee_kind'] as const;
export const MAX_IMPORT_ROWS = 300_000;

const yen = z.string().regex(/^\d{1,9}$/, 'a whole number of yen, 0 or more').transform(Number);
const rowSchema = z.object({
  member_id: z.uuid('a UUID'),
  member_number: z.string().regex(/^\d{8}$/, '8 digits'),
  billing_month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
  payment_method: z.enum(PAYMENT_METHODS, 'TRANSFER or DIRECT_DEBIT'),
  due_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => { try { jstDate(s); return true; } catch { return false; } }, 'no such date'),
  room_id: z.uuid('a UUID'),
  ap_no: z.string().min(1, 'required').max(12, 'at most 12 characters'),
  property_name: z.string().min(1, 'required').max(100, 'at most 100 characters'),
  room_number: z.string().min(1, 'required').max(10, 'at most 10 characters'),
  next_month_usage_fee: yen,
  annual_fee: yen,
  minor_services_fee: yen,
  exit_settlement: yen,
  tax_rate: z.enum(['8', '10'], '8 or 10').transform(Number),
  member_name: z.string().max(100, 'at most 100 characters').optional().transform((v) => v || null),
  annual_fee_kind: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const kind = parseAnnualFeeKind(v);
      if (!kind) ctx.addIssue({ code: 'custom', message: '年会費, 維持手数料 or 更新費用 (ANNUAL_FEE, MAINTENANCE_FEE, RENEWAL_FEE)' });
      return kind;
    }),
}).superRefine((row, ctx) => {
  if (row.annual_fee > 0 && !row.annual_fee_kind) ctx.addIssue({ code: 'custom', path: ['annual_fee_kind'], message: 'required when annual_fee is not 0: 年会費, 維持手数料 or 更新費用' });
});
export type ImportRow = z.output<typeof rowSchema>;

export interface ImportProblem {
  /** 1-based line of the file (the header is line 1), or null for the whole file. */
  line: number | null;
  column: string | null;
  code: 'CSV_UNREADABLE' | 'CSV_HEADER' | 'CSV_TOO_MANY_ROWS' | 'CSV_EMPTY' | 'INVALID_VALUE' | 'DUE_BEFORE_ISSUE' | 'DUE_DATE_PASSED' | 'INCONSISTENT_INVOICE' | 'DUPLICATE_ROOM';
  message: string;
  messageJa: string;
}

export interface ImportedInvoice {
  memberId: string;
  memberNumber: string;
  memberName: string | null;
  billingMonth: string;
  paymentMethod: PaymentMethod;
  issueDate: string;
  /** The import day when it is after `issueDate` (a late invoice, FAQ M:2576–2578); null when on time. */
  latePublishedOn: string | null;
  dueDate: string;
  totalAmount: number;
  lines: (ImportRow & { line: number })[];
}

/**
 * Parses and validates the whole file; returns every problem found (nothing may be applied then) or the invoices.
 * `today` is the import day (JST): an invoice whose publication day has passed is late. It is still
 * accepted (the FAQ treats a late upload as normal) and marked with the day it appeared, from which
 * its confirmation window runs; one whose due date has already passed is refused, since the member
 * could neither confirm nor pay it in time.
 */
export function parseInvoiceImport(csv: string, calendar: BusinessCalendar, today: JstDate): { problems: ImportProblem[]; invoices: ImportedInvoice[] } {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (err) {
    return { problems: [{ line: null, column: null, code: 'CSV_UNREADABLE', message: `Not a readable CSV file: ${(err as Error).message}`, messageJa: 'CSVファイルとして読み込めません。' }], invoices: [] };
  }
  const [header, ...rows] = records;
  const missing = IMPORT_COLUMNS.filter((c) => !header?.includes(c));
  const extra = (header ?? []).filter((c) => !([...IMPORT_COLUMNS, ...OPTIONAL_IMPORT_COLUMNS] as readonly string[]).includes(c));
  if (!header || missing.length || extra.length || new Set(header).size !== header.length) {
    return { problems: [{ line: 1, column: null, code: 'CSV_HEADER', message: `The header must name exactly these columns: ${IMPORT_COLUMNS.join(',')} (missing: ${missing.join(',') || '-'}; unknown: ${extra.join(',') || '-'})`, messageJa: `見出し行の列名が正しくありません（不足: ${missing.join(',') || 'なし'}、不明: ${extra.join(',') || 'なし'}）。` }], invoices: [] };
  }
  if (!rows.length) return { problems: [{ line: null, column: null, code: 'CSV_EMPTY', message: 'The file has no rows.', messageJa: '明細行がありません。' }], invoices: [] };
  if (rows.length > MAX_IMPORT_ROWS) return { problems: [{ line: null, column: null, code: 'CSV_TOO_MANY_ROWS', message: `At most ${MAX_IMPORT_ROWS} rows per file.`, messageJa: `1ファイル${MAX_IMPORT_ROWS}行までです。` }], invoices: [] };

  const problems: ImportProblem[] = [];
  const invoices = new Map<string, ImportedInvoice>();
  const rooms = new Map<string, number>();
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length !== header.length) {
      problems.push({ line, column: null, code: 'INVALID_VALUE', message: `Expected ${header.length} columns, found ${cells.length}.`, messageJa: `列数が${header.length}ではありません（${cells.length}列）。` });
      return;
    }
    const parsed = rowSchema.safeParse(Object.fromEntries(header.map((h, j) => [h, cells[j]])));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '');
        problems.push({ line, column, code: 'INVALID_VALUE', message: `${column}: ${issue.message}`, messageJa: `${column}: 値が正しくありません（${issue.message}）。` });
      }
      return;
    }
    const row = parsed.data;
    const key = `${row.member_id}|${row.billing_month}`;
    const [y, m] = row.billing_month.split('-').map(Number) as [number, number];
    let invoice = invoices.get(key);
    if (!invoice) {
      const issueDate = invoicePublicationDate(y, m, row.payment_method, calendar);
      if (row.due_date < issueDate) problems.push({ line, column: 'due_date', code: 'DUE_BEFORE_ISSUE', message: `due_date is before the publication date ${issueDate}.`, messageJa: `お支払期限が公開日（${issueDate}）より前です。` });
      else if (row.due_date < today) problems.push({ line, column: 'due_date', code: 'DUE_DATE_PASSED', message: `due_date ${row.due_date} has already passed (today is ${today}): set a new due date for a late invoice.`, messageJa: `お支払期限（${row.due_date}）を過ぎています（本日${today}）。遅れて公開する請求には新しいお支払期限を設定してください。` });
      const latePublishedOn = today > issueDate ? today : null;
      invoice = { memberId: row.member_id, memberNumber: row.member_number, memberName: row.member_name, billingMonth: row.billing_month, paymentMethod: row.payment_method, issueDate, latePublishedOn, dueDate: row.due_date, totalAmount: 0, lines: [] };
      invoices.set(key, invoice);
    } else {
      for (const [column, a, b] of [['member_number', invoice.memberNumber, row.member_number], ['payment_method', invoice.paymentMethod, row.payment_method], ['due_date', invoice.dueDate, row.due_date]] as const) {
        if (a !== b) problems.push({ line, column, code: 'INCONSISTENT_INVOICE', message: `${column} differs from the invoice's first row (${a}).`, messageJa: `${column}が同じ請求（会員・請求年月）の先頭行（${a}）と異なります。` });
      }
    }
    const roomKey = `${key}|${row.room_id}`;
    const seen = rooms.get(roomKey);
    if (seen) problems.push({ line, column: 'room_id', code: 'DUPLICATE_ROOM', message: `The room is already on line ${seen} of the same invoice.`, messageJa: `同じ請求の${seen}行目と部屋が重複しています。` });
    else rooms.set(roomKey, line);
    invoice.lines.push({ ...row, line });
    invoice.totalAmount += row.next_month_usage_fee + row.annual_fee + row.minor_services_fee + row.exit_settlement;
  });
  return { problems, invoices: problems.length ? [] : [...invoices.values()] };
}
