import { formatJstDate, formatYen, ISSUER, taxPerRate, type PdfDocumentSpec } from '@portal/documents';
import { toDateString } from '../hold/hold.service.ts';
import type { IInvoice, IInvoiceLine, InvoiceLineData } from '../invoice/invoice.entity.ts';
import { annualFeeLabel } from '../invoice/rules/annual-fee-kind.rule.ts';

/** One billed item of a qualified invoice: a category of a line (the manual's ご請求内容 rows). */
export interface InvoiceItem {
  line: Pick<IInvoiceLine, 'id' | 'apNo' | 'propertyName' | 'roomNumber' | 'memberNumber' | 'taxRate' | 'billingMonth' | 'annualFeeKind'>;
  category: 'NEXT_MONTH_USAGE_FEE' | 'ANNUAL_FEE' | 'MINOR_SERVICES_FEE' | 'EXIT_SETTLEMENT';
  amount: number;
}

const CATEGORY_LABEL: Record<Exclude<InvoiceItem['category'], 'ANNUAL_FEE'>, string> = {
  NEXT_MONTH_USAGE_FEE: '部屋利用料',
  MINOR_SERVICES_FEE: '少額短期保険等',
  EXIT_SETTLEMENT: '解約清算金',
};

/** The item's ご請求内容: the annual fee by its kind (年会費, 維持手数料 or 更新費用), never the three together. */
export function itemLabel(item: Pick<InvoiceItem, 'category' | 'line'>): string {
  return item.category === 'ANNUAL_FEE' ? annualFeeLabel(item.line.annualFeeKind) : CATEGORY_LABEL[item.category];
}

/** The items of lines, in line order, one per non-zero category. */
export function itemsOf(lines: readonly InvoiceLineData[]): InvoiceItem[] {
  return lines.flatMap((line) =>
    ([['NEXT_MONTH_USAGE_FEE', line.nextMonthUsageFee], ['ANNUAL_FEE', line.annualFee], ['MINOR_SERVICES_FEE', line.minorServicesFee], ['EXIT_SETTLEMENT', line.exitSettlement]] as const)
      .filter(([, amount]) => amount > 0)
      .map(([category, amount]) => ({ line, category, amount })),
  );
}

const monthLabel = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
/** 取引年月: next month's usage fee pays for the following month; everything else is the billing month's. */
export const transactionMonth = (item: InvoiceItem) => (item.category === 'NEXT_MONTH_USAGE_FEE' ? nextMonth(item.line.billingMonth) : item.line.billingMonth);

/** 請求明細書: the statement of the whole invoice or of selected lines (not invoice-system compliant). */
export function statementSpec(invoice: IInvoice, lines: readonly IInvoiceLine[], selected: boolean): PdfDocumentSpec {
  const total = lines.reduce((s, l) => s + l.total, 0);
  return {
    title: '請求明細書',
    // Nine columns of numbers: landscape, so none of them breaks (issue 11 item 10).
    orientation: 'landscape',
    documentNumber: `${invoice.billingMonth.replace('-', '')}-${invoice.id.slice(0, 8).toUpperCase()}`,
    issuedOn: toDateString(invoice.issueDate),
    issuer: ISSUER,
    recipient: { name: invoice.recipientName ?? `会員番号 ${lines[0]?.memberNumber ?? ''}` },
    blocks: [
      { kind: 'keyValues', emphasis: true, rows: [['請求年月', monthLabel(invoice.billingMonth)], [selected ? '選択明細の請求金額' : 'ご請求金額', formatYen(total)], ['お支払期限', formatJstDate(toDateString(invoice.dueDate))]] },
      { kind: 'heading', text: selected ? `明細（選択 ${lines.length}件）` : `明細（${lines.length}件）` },
      {
        kind: 'table',
        columns: [
          { header: 'APNo', width: 1.1 }, { header: '物件名', width: 3, wrap: true }, { header: '部屋', width: 0.8 }, { header: '会員番号', width: 1.2 },
          { header: '翌月利用料', width: 1.3, align: 'right' }, { header: '年会費等', width: 1.2, align: 'right' }, { header: '年会費等の種別', width: 1.2 }, { header: '少額短期保険等', width: 1.3, align: 'right' },
          { header: '退室清算金', width: 1.3, align: 'right' }, { header: '合計', width: 1.3, align: 'right' },
        ],
        rows: lines.map((l) => [l.apNo, l.propertyName, l.roomNumber, l.memberNumber, formatYen(l.nextMonthUsageFee), formatYen(l.annualFee), l.annualFee > 0 ? annualFeeLabel(l.annualFeeKind) : '', formatYen(l.minorServicesFee), formatYen(l.exitSettlement), formatYen(l.total)]),
        totals: [['合計', formatYen(total)]],
      },
      { kind: 'text', text: 'この請求明細書はインボイス制度（適格請求書）には対応していません。適格請求書は「適格請求書ダウンロード」からご利用ください。' },
    ],
    footerNote: `${ISSUER.name}　法人WEBシステム`,
  };
}

/**
 * 適格請求書: issuer name and registration number, recipient, transaction months, items, the totals and
 * the tax per rate (rounded once per rate), as Japan's invoice system requires.
 */
export function qualifiedInvoiceSpec(invoice: IInvoice, items: readonly InvoiceItem[], options: { documentNumber?: string; title?: string } = {}): PdfDocumentSpec {
  const rates = taxPerRate(items.map((i) => ({ amount: i.amount, taxRate: i.line.taxRate })), 'inclusive');
  const total = rates.reduce((s, r) => s + r.totalIncludingTax, 0);
  return {
    title: options.title ?? '適格請求書',
    documentNumber: options.documentNumber ?? `Q${invoice.billingMonth.replace('-', '')}-${invoice.id.slice(0, 8).toUpperCase()}`,
    issuedOn: toDateString(invoice.issueDate),
    issuer: ISSUER,
    recipient: { name: invoice.recipientName ?? `会員番号 ${items[0]?.line.memberNumber ?? ''}` },
    blocks: [
      { kind: 'keyValues', emphasis: true, rows: [['ご請求金額（税込）', formatYen(total)], ['請求年月', monthLabel(invoice.billingMonth)], ['お支払期限', formatJstDate(toDateString(invoice.dueDate))], ['登録番号', ISSUER.registrationNumber]] },
      { kind: 'heading', text: `明細（${items.length}件）` },
      {
        kind: 'table',
        columns: [
          { header: '取引年月', width: 1.2 }, { header: 'APNo', width: 1 }, { header: '物件名', width: 2.8, wrap: true }, { header: '部屋', width: 0.8 },
          { header: 'ご請求内容', width: 2 }, { header: '税率', width: 0.7, align: 'right' }, { header: 'ご請求金額（税込）', width: 1.6, align: 'right' },
        ],
        rows: items.map((i) => [monthLabel(transactionMonth(i)), i.line.apNo, i.line.propertyName, i.line.roomNumber, itemLabel(i), `${i.line.taxRate}%`, formatYen(i.amount)]),
        totals: [
          ...rates.flatMap((r): [string, string][] => [
            [`${r.taxRate}%対象（税込）`, formatYen(r.totalIncludingTax)],
            [`うち消費税（${r.taxRate}%）`, formatYen(r.tax)],
          ]),
          ['合計（税込）', formatYen(total)],
        ],
      },
      { kind: 'text', text: '消費税額は税率ごとに合計した金額から1回端数処理（切り捨て）しています。' },
    ],
    footerNote: `${ISSUER.name}　登録番号 ${ISSUER.registrationNumber}`,
  };
}

// The kind of the annual fee is the last column: files read by column position before keep working.
export const CSV_HEADER = ['請求年月', 'APNo', '物件名', '部屋番号', '会員番号', '翌月利用料', '年会費/維持手数料/更新手数料', 'マイナーサービス/少額短期保険', '退室清算金', '請求金額合計', '税率', '保留', '年会費等の種別'];
