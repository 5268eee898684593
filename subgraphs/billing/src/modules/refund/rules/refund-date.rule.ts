import { addDays, jstDateFromParts, type BusinessCalendar, type JstDate } from '@portal/platform';

/** Exit settlements are refunded on this day of the month (毎月25日). */
export const REFUND_DAY = 25;
/** The refund statement appears this many business days before the refund date (返金日の2営業日前). */
export const REFUND_STATEMENT_LEAD_BUSINESS_DAYS = 2;

/**
 * The refund date of `year`-`month` (1–12), manual p.8: the 25th, or the next business day when the
 * 25th is a Saturday, Sunday or holiday (土日祝の場合は翌営業日). Business days come from the injected
 * calendar (the company calendar: national holidays and the year-end closure are not business days).
 * Unlike invoice publication, a refund may move into the next month (it is a bank transfer date).
 */
export function refundDate(year: number, month: number, calendar: BusinessCalendar): JstDate {
  let d = jstDateFromParts(year, month, REFUND_DAY);
  for (let i = 0; i < 40; i++, d = addDays(d, 1)) if (calendar.isBusinessDay(d)) return d;
  throw new RangeError(`no business day within 40 days after ${year}-${month}-25`);
}

/**
 * The day the refund statement is published (visible to the member): 2 business days before the
 * refund date, counting business days only (the refund date itself is not counted).
 */
export function refundStatementDate(refund: JstDate, calendar: BusinessCalendar): JstDate {
  let d = refund;
  let seen = 0;
  for (let i = 0; i < 60; i++) {
    d = addDays(d, -1);
    if (calendar.isBusinessDay(d) && ++seen === REFUND_STATEMENT_LEAD_BUSINESS_DAYS) return d;
  }
  throw new RangeError(`no ${REFUND_STATEMENT_LEAD_BUSINESS_DAYS} business days within 60 days before ${refund}`);
}
