import { companyCalendar, isYearEndClosure, type BusinessCalendar } from '@portal/platform';

/**
 * Billing counts business days on the company calendar: national holidays and the year-end
 * closure (Dec 29 – Jan 3, defined once in @portal/platform) are not business days.
 * ASSUMPTION to confirm with the operator: the billing office is closed during the closure too
 * (banks close Dec 31 – Jan 3 in any case), so those days do not count for publication.
 */
export const billingCalendar: BusinessCalendar = companyCalendar;
export { isYearEndClosure, type BusinessCalendar };
