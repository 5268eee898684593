import { addDays, companyCalendar, jstDateFromParts, jstDateOf, jstDateParts, type BusinessCalendar, type JstDate } from '@portal/platform';

/** The closing day of the month (締め日): confirmation (確定) is possible up to and including it. */
export const CLOSING_DAY = 20;

/**
 * How long a member has to confirm an invoice that arrived late, counted in business days after the
 * day it actually appeared. The FAQ (M:2576–2578) makes a late upload a normal event (the previous
 * month's transfers are still being checked), so the member must not lose the 確定 step to our delay;
 * one working week is the shortest window in which a clerk with 1,200 rooms can still check the lines
 * and set holds (an on-time invoice gives about two weeks: the 3rd business day to the 20th).
 */
export const LATE_CONFIRMATION_BUSINESS_DAYS = 5;

/**
 * The last day an invoice published on `issueDate` can be confirmed (and its holds changed).
 *
 * The manual (p.3) shows the rule on "今月の請求情報", the month's invoice, with its due date in the
 * same month (published 5/8, due 5/29): "確定は締め日(20日)までに行ってください". So the 20th is that of
 * the month the invoice is published in, which for bank transfer is its billing month. A direct-debit
 * invoice is published on the 27th, after that month's 20th; its closing day is the next month's 20th
 * (the first closing day after publication), otherwise it could never be confirmed.
 *
 * `lateOn` is the day an invoice imported after its publication day actually became visible
 * (docs/billing-invoice-import.md): its closing day is then never earlier than the
 * LATE_CONFIRMATION_BUSINESS_DAYS-th business day after that day.
 */
export function confirmationDeadline(issueDate: JstDate, lateOn: JstDate | null = null, calendar: BusinessCalendar = companyCalendar): JstDate {
  const { year, month, day } = jstDateParts(issueDate);
  const regular = day <= CLOSING_DAY ? jstDateFromParts(year, month, CLOSING_DAY) : month === 12 ? jstDateFromParts(year + 1, 1, CLOSING_DAY) : jstDateFromParts(year, month + 1, CLOSING_DAY);
  if (!lateOn || lateOn <= issueDate) return regular;
  let window = lateOn;
  for (let n = 0; n < LATE_CONFIRMATION_BUSINESS_DAYS; ) {
    window = addDays(window, 1);
    if (calendar.isBusinessDay(window)) n++;
  }
  return window > regular ? window : regular;
}

/** Whether `now` (by the clock, in JST) is still on or before the closing day: 23:59:59 on the 20th yes, 00:00 on the 21st no. */
export function isBeforeClosing(now: Date, issueDate: JstDate, lateOn: JstDate | null = null): boolean {
  return jstDateOf(now) <= confirmationDeadline(issueDate, lateOn);
}
