import { isBusinessDay as isNationalBusinessDay, jstDateParts, type JstDate } from '@portal/platform';

/** What billing rules need to know about days; injected so rules stay pure and testable. */
export interface BusinessCalendar {
  isBusinessDay(date: JstDate): boolean;
}

/**
 * The leasing company's year-end closure (年末年始休業), Dec 29 – Jan 3 inclusive. DOMAIN.md uses the
 * same window for cancellations; platform's calendar deliberately knows only national holidays.
 * ASSUMPTION to confirm with the operator: the billing office is closed on these days too
 * (banks close Dec 31 – Jan 3 in any case), so they do not count as business days for publication.
 */
export function isYearEndClosure(date: JstDate): boolean {
  const { month, day } = jstDateParts(date);
  return (month === 12 && day >= 29) || (month === 1 && day <= 3);
}

/** Business days for billing: weekdays that are neither national holidays nor in the year-end closure. */
export const billingCalendar: BusinessCalendar = {
  isBusinessDay: (date) => isNationalBusinessDay(date) && !isYearEndClosure(date),
};
