import { addDays, jstDateFromParts, jstDateParts, type JstDate } from '@portal/platform';
import type { BusinessCalendar } from '../../calendar/billing-calendar.ts';
import type { PaymentMethod } from '../invoice.entity.ts';

/** Day of the month direct-debit invoices are published on (引落の場合は27日). */
export const DIRECT_DEBIT_PUBLICATION_DAY = 27;
/** Bank-transfer invoices are published on this business day of the month (毎月第3営業日). */
export const TRANSFER_PUBLICATION_BUSINESS_DAY = 3;

/**
 * The day an invoice for `year`-`month` (1–12) is published (請求明細アップロード日), manual p.3:
 * - TRANSFER: the 3rd business day of the month.
 * - DIRECT_DEBIT: the 27th.
 *   ASSUMPTION to confirm against the manual / operator: the manual only says "27日". When the
 *   27th is not a business day we publish on the next business day; when no business day is left
 *   in the month (e.g. 2025-12: the 27th is a Saturday and the year-end closure follows) we publish
 *   on the last business day before the 27th, so an invoice is never published in the next month.
 */
export function invoicePublicationDate(year: number, month: number, paymentMethod: PaymentMethod, calendar: BusinessCalendar): JstDate {
  if (paymentMethod === 'DIRECT_DEBIT') {
    const the27th = jstDateFromParts(year, month, DIRECT_DEBIT_PUBLICATION_DAY);
    for (let d = the27th; jstDateParts(d).month === month; d = addDays(d, 1)) if (calendar.isBusinessDay(d)) return d;
    for (let d = addDays(the27th, -1); jstDateParts(d).month === month; d = addDays(d, -1)) if (calendar.isBusinessDay(d)) return d;
    throw new RangeError(`${year}-${month} has no business day around the 27th`);
  }
  let seen = 0;
  for (let d = jstDateFromParts(year, month, 1); jstDateParts(d).month === month; d = addDays(d, 1)) {
    if (calendar.isBusinessDay(d) && ++seen === TRANSFER_PUBLICATION_BUSINESS_DAY) return d;
  }
  throw new RangeError(`${year}-${month} has fewer than ${TRANSFER_PUBLICATION_BUSINESS_DAY} business days`);
}
