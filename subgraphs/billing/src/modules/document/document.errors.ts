import { userError } from '@portal/subgraph-kit';

/** Expected failures of document downloads, in one place. */
export const DocumentErrorCode = {
  INVOICE_NOT_FOUND: 'INVOICE_NOT_FOUND',
  LINE_NOT_FOUND: 'LINE_NOT_FOUND',
  NO_LINES: 'NO_LINES',
  CSV_UNMAPPABLE_CHARACTER: 'CSV_UNMAPPABLE_CHARACTER',
  REFUND_NOT_FOUND: 'REFUND_NOT_FOUND',
} as const;

export const documentErrors = {
  invoiceNotFound: () => userError(DocumentErrorCode.INVOICE_NOT_FOUND, 'invoiceId', { en: 'No such invoice.', ja: '請求明細が見つかりません。' }),
  refundNotFound: () => userError(DocumentErrorCode.REFUND_NOT_FOUND, 'refundId', { en: 'No such refund statement.', ja: '返金明細が見つかりません。' }),
  lineNotFound: (i: number) => userError(DocumentErrorCode.LINE_NOT_FOUND, `lineIds.${i}`, { en: 'This line is not on the invoice.', ja: '指定の明細はこの請求明細にありません。' }),
  noLines: () => userError(DocumentErrorCode.NO_LINES, 'lineIds', { en: 'Select at least one line.', ja: '明細を1件以上選択してください。' }),
  unmappable: (en: string, ja: string) => userError(DocumentErrorCode.CSV_UNMAPPABLE_CHARACTER, 'encoding', { en, ja }),
};
