import { formatJstDate, formatJstDateTime, formatYen, renderPdf, type Issuer, type PdfBlock } from '@portal/documents';
import { TAX_RATES, type RateTotal, type SettlementLine } from './settlement.rule.ts';

export interface SettlementDocument {
  statementNumber: string;
  issuedOn: string;
  publishedAt: Date;
  /** The one issuer of every document (`ISSUER` of @portal/documents). */
  issuer: Issuer;
  member: { name: string; memberNumber: string };
  room: { apNo: string; propertyName: string; roomNumber: string; address: string };
  cancellationDate: string;
  movedOutOn: string | null;
  lines: SettlementLine[];
  byRate: RateTotal[];
  subtotal: number;
  totalTax: number;
  totalAmount: number;
  note: string | null;
}

/**
 * The settlement statement (解約清算明細書) as a PDF, in the invoice-system format since 2023-10:
 * issuer and registration number, the member, the room, the lines with their tax rate, totals and
 * tax per rate, and the grand total. Rendered once at publication; the publication instant is
 * printed (and is the PDF's creation date) so the stored file never changes.
 */
export function renderSettlementPdf(doc: SettlementDocument): Promise<Buffer> {
  const refund = doc.totalAmount < 0;
  const blocks: PdfBlock[] = [
    {
      kind: 'keyValues',
      emphasis: true,
      rows: [[refund ? 'ご返金額（税込）' : 'ご請求額（税込）', formatYen(Math.abs(doc.totalAmount))]],
    },
    { kind: 'spacer', height: 8 },
    {
      kind: 'keyValues',
      rows: [
        ['会員番号', doc.member.memberNumber],
        ['APNo', doc.room.apNo],
        ['物件名', doc.room.propertyName],
        ['部屋番号', `${doc.room.roomNumber}号室`],
        ['所在地', doc.room.address],
        ['中途解約日', formatJstDate(doc.cancellationDate)],
        ['退去日', doc.movedOutOn ? formatJstDate(doc.movedOutOn) : '—'],
      ],
    },
    { kind: 'heading', text: '清算明細' },
    {
      kind: 'table',
      columns: [
        { header: '摘要', width: 5, wrap: true },
        { header: '税率', width: 2, align: 'center' },
        { header: '金額（税抜）', width: 2, align: 'right' },
      ],
      rows: doc.lines.map((l) => [l.description, TAX_RATES[l.taxRate].ja, formatYen(l.amount)]),
      totals: [
        ['小計（税抜）', formatYen(doc.subtotal)],
        ['消費税', formatYen(doc.totalTax)],
        ['合計（税込）', formatYen(doc.totalAmount)],
      ],
    },
    { kind: 'heading', text: '税率ごとの内訳' },
    {
      kind: 'table',
      columns: [
        { header: '税率区分', width: 3 },
        { header: '対象額（税抜）', width: 2, align: 'right' },
        { header: '消費税額', width: 2, align: 'right' },
        { header: '合計', width: 2, align: 'right' },
      ],
      rows: doc.byRate.map((r) => [TAX_RATES[r.taxRate].ja, formatYen(r.taxableAmount), formatYen(r.tax), formatYen(r.total)]),
    },
    { kind: 'spacer', height: 8 },
    {
      kind: 'text',
      size: 8.5,
      text: refund
        ? 'ご返金額は、ご登録の返金口座へ返金日（毎月25日）にお振込みいたします。'
        : '清算金は、後日アップロードされる請求明細書にてご請求いたします。',
    },
    ...(doc.note ? [{ kind: 'text', text: `備考：${doc.note}`, size: 8.5 } as PdfBlock] : []),
  ];
  return renderPdf({
    title: '解約清算明細書',
    subject: `解約清算明細書 ${doc.statementNumber} ${doc.room.propertyName} ${doc.room.roomNumber}`,
    documentNumber: doc.statementNumber,
    issuedOn: doc.issuedOn,
    issuer: { name: doc.issuer.name, address: doc.issuer.address, phone: doc.issuer.phone, registrationNumber: doc.issuer.registrationNumber },
    recipient: { name: doc.member.name },
    blocks,
    footerNote: `発行 ${formatJstDateTime(doc.publishedAt)}（アップロード日時）`,
    createdAt: doc.publishedAt,
  });
}
