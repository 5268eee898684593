export { billing } from './app.ts';
export { invoicePublicationDate } from './modules/invoice/rules/publication-date.rule.ts';
export { billingCalendar } from './modules/calendar/billing-calendar.ts';
