export { billing } from './app.ts';
export { invoicePublicationDate } from './modules/invoice/rules/publication-date.rule.ts';
export { billingCalendar } from './modules/calendar/billing-calendar.ts';
export { refundDate, refundStatementDate } from './modules/refund/rules/refund-date.rule.ts';
export { confirmationDeadline } from './modules/hold/rules/closing-day.rule.ts';
