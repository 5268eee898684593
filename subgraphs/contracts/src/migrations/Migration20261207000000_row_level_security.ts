import { Migration } from '@mikro-orm/migrations';
import { memberRowSecurityDdl } from '@portal/subgraph-kit';

/**
 * Row-level security, the second line behind the ORM's member filter (docs/architecture.md,
 * "Row-level security"): every member-scoped table of contracts is ENABLED and FORCED with the policy
 * `member_rows` on its member column. The tables left out are listed with their reason in
 * `contracts.sharedTables` (src/app.ts); test/security/row-level-security.test.ts checks both.
 */
export class Migration20261207000000_row_level_security extends Migration {
  override name = 'Migration20261207000000_row_level_security';

  override up(): void {
    this.addSql(memberRowSecurityDdl('contracts', {
      fire_insurance_policy: 'member_id',
      approver: 'member_id',
      room_ref: 'member_id',
    }));
  }
}
