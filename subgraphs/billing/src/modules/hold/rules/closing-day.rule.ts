import { jstDateFromParts, jstDateOf, jstDateParts, type JstDate } from '@portal/platform';

/** The closing day of the month (締め日): confirmation (確定) is possible up to and including it. */
export const CLOSING_DAY = 20;

/**
 * The last day an invoice published on `issueDate` can be confirmed (and its holds changed).
 *
 * The manual (p.3) shows the rule on "今月の請求情報", the month's invoice, with its due date in the
 * same month (published 5/8, due 5/29): "確定は締め日(20日)までに行ってください". So the 20th is that of
 * the month the invoice is published in, which for bank transfer is its billing month. A direct-debit
 * invoice is published on the 27th, after that month's 20th; its closing day is the next month's 20th
 * (the first closing day after publication), otherwise it could never be confirmed.
 */
export function confirmationDeadline(issueDate: JstDate): JstDate {
  const { year, month, day } = jstDateParts(issueDate);
  if (day <= CLOSING_DAY) return jstDateFromParts(year, month, CLOSING_DAY);
  return month === 12 ? jstDateFromParts(year + 1, 1, CLOSING_DAY) : jstDateFromParts(year, month + 1, CLOSING_DAY);
}

/** Whether `now` (by the clock, in JST) is still on or before the closing day: 23:59:59 on the 20th yes, 00:00 on the 21st no. */
export function isBeforeClosing(now: Date, issueDate: JstDate): boolean {
  return jstDateOf(now) <= confirmationDeadline(issueDate);
}
