import { Migration } from '@mikro-orm/migrations';
import { memberRowSecurityDdl } from '@portal/subgraph-kit';

/**
 * Row-level security, the second line behind the ORM's member filter (docs/architecture.md,
 * "Row-level security"): every member-scoped table of billing is ENABLED and FORCED with the policy
 * `member_rows` on its member column. The tables left out are listed with their reason in
 * `billing.sharedTables` (src/app.ts); test/security/row-level-security.test.ts checks both.
 */
export class Migration20261207000000_row_level_security extends Migration {
  override name = 'Migration20261207000000_row_level_security';

  override up(): void {
    this.addSql(memberRowSecurityDdl('billing', {
      invoice: 'member_id',
      invoice_line: 'member_id',
      invoice_hold: 'member_id',
      timestamp_reservation: 'member_id',
      timestamp_reservation_item: 'member_id',
      refund: 'member_id',
      refund_line: 'member_id',
      refund_account: 'member_id',
      audit_outbox: 'member_id',
    }));
  }
}
