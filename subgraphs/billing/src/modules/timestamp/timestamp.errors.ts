import { userError } from '@portal/subgraph-kit';

/** Expected failures of time-stamp reservations (タイムスタンプ付与), in one place. */
export const TimestampErrorCode = {
  INVOICE_NOT_FOUND: 'INVOICE_NOT_FOUND',
  RESERVATION_NOT_FOUND: 'RESERVATION_NOT_FOUND',
  SELECTION_INVALID: 'SELECTION_INVALID',
  NOTHING_SELECTED: 'NOTHING_SELECTED',
  ITEM_NOT_FOUND: 'ITEM_NOT_FOUND',
  EXIT_SETTLEMENT_NOT_SELECTABLE: 'EXIT_SETTLEMENT_NOT_SELECTABLE',
  ALREADY_RESERVED: 'ALREADY_RESERVED',
  SELECTION_CHANGED: 'SELECTION_CHANGED',
  NOT_CANCELLABLE: 'NOT_CANCELLABLE',
  NOT_REQUESTER: 'NOT_REQUESTER',
  NOT_STAMPED_YET: 'NOT_STAMPED_YET',
} as const;

export const timestampErrors = {
  invoiceNotFound: () => userError(TimestampErrorCode.INVOICE_NOT_FOUND, 'invoiceId', { en: 'No such invoice.', ja: '請求明細が見つかりません。' }),
  reservationNotFound: () => userError(TimestampErrorCode.RESERVATION_NOT_FOUND, 'reservationId', { en: 'No such reservation.', ja: 'タイムスタンプ付与予約が見つかりません。' }),
  selectionInvalid: () => userError(TimestampErrorCode.SELECTION_INVALID, 'selection', { en: 'Choose exactly one way to select: all, items, or filter.', ja: '選択方法（全件・個別・フィルター）を1つ指定してください。' }),
  nothingSelected: () => userError(TimestampErrorCode.NOTHING_SELECTED, 'selection', { en: 'No selectable item was selected.', ja: '選択可能な明細が選択されていません。' }),
  itemNotFound: (i: number) => userError(TimestampErrorCode.ITEM_NOT_FOUND, `selection.items.${i}`, { en: 'This item is not on the invoice.', ja: '指定の明細はこの請求にありません。' }),
  exitSettlement: (i: number) => userError(TimestampErrorCode.EXIT_SETTLEMENT_NOT_SELECTABLE, `selection.items.${i}`, { en: 'Exit settlements carry a time stamp already and cannot be selected.', ja: '解約清算金はタイムスタンプ付与済みのため選択できません。' }),
  alreadyReserved: (i: number) => userError(TimestampErrorCode.ALREADY_RESERVED, `selection.items.${i}`, { en: 'This item is reserved or stamped already.', ja: 'この明細はすでに予約済み・付与済みです。' }),
  selectionChanged: () => userError(TimestampErrorCode.SELECTION_CHANGED, 'expectedItemCount', { en: 'The selection changed since it was confirmed; confirm it again.', ja: '確認後に選択内容が変わりました。もう一度確認してください。' }),
  notCancellable: () => userError(TimestampErrorCode.NOT_CANCELLABLE, 'reservationId', { en: 'Only a reservation still 予約中 can be cancelled; once stamped it cannot.', ja: 'キャンセルできるのは予約中の予約のみです（付与完了後はキャンセルできません）。' }),
  notRequester: () => userError(TimestampErrorCode.NOT_REQUESTER, 'reservationId', { en: 'Only the requester or an administrator can cancel.', ja: 'キャンセルできるのは依頼者または管理者のみです。' }),
  notStamped: () => userError(TimestampErrorCode.NOT_STAMPED_YET, 'reservationId', { en: 'The time stamp is applied tonight; download it once the status is 完了.', ja: 'タイムスタンプは夜間に付与されます。ステータスが完了になってからダウンロードしてください。' }),
};
