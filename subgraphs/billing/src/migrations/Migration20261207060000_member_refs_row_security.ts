import { Migration } from '@mikro-orm/migrations';
import { memberRowSecurityDdl } from '@portal/subgraph-kit';

/**
 * Row-level security on billing's read models of tenancy's members and accounts (member.updated and
 * account.upserted events): each row belongs to one member. The consumers run as jobs (system scope);
 * a member's request reads only its own member's addressee and account names.
 */
export class Migration20261207060000_member_refs_row_security extends Migration {
  override name = 'Migration20261207060000_member_refs_row_security';

  override up(): void {
    this.addSql(memberRowSecurityDdl('billing', { member_ref: 'member_id', account_ref: 'member_id' }));
  }
}
