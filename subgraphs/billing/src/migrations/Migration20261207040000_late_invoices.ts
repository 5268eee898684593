import { Migration } from '@mikro-orm/migrations';

/**
 * The day an invoice imported after its publication day actually appeared (null when on time): its
 * confirmation window runs from that day (hold/rules/closing-day.rule.ts, docs/billing-invoice-import.md).
 */
export class Migration20261207040000_late_invoices extends Migration {
  override name = 'Migration20261207040000_late_invoices';

  override up(): void {
    this.addSql(`
      alter table billing.invoice add column late_published_on date;
      alter table billing.invoice add constraint invoice_late_after_issue_check check (late_published_on is null or late_published_on > issue_date);
    `);
  }
}
