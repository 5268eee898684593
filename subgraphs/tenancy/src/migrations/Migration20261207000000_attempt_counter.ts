import { Migration } from '@mikro-orm/migrations';
import { attemptCounterDdl } from '@portal/subgraph-kit';

/**
 * Password checks are limited per client address, per login ID and per pair of both
 * (tenancy.attempt_counter, @portal/subgraph-kit's attempt limiter). The per-account hard lock it
 * replaces (failed_login_count, locked_until) let anyone who knew a login ID lock its owner out, and
 * it answered a known ID differently from an unknown one; it goes.
 */
export class Migration20261207000000_attempt_counter extends Migration {
  override name = 'Migration20261207000000_attempt_counter';

  override up(): void {
    this.addSql(attemptCounterDdl('tenancy'));
    this.addSql(`
      alter table tenancy.account drop column failed_login_count, drop column locked_until;
      alter table tenancy.operator_account drop column failed_login_count, drop column locked_until;
    `);
  }
}
