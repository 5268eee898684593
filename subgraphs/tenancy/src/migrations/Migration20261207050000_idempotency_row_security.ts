import { Migration } from '@mikro-orm/migrations';
import { memberRowSecurityDdl } from '@portal/subgraph-kit';

/**
 * Row-level security on the idempotency keys (added beside the row-level security migration, after it
 * in time): a key row carries the member whose request claimed it. Operators' keys have no member and
 * are reached in the system scope, which every operator request runs in.
 */
export class Migration20261207050000_idempotency_row_security extends Migration {
  override name = 'Migration20261207050000_idempotency_row_security';

  override up(): void {
    this.addSql(memberRowSecurityDdl('tenancy', { idempotency_key: 'member_id' }));
  }
}
