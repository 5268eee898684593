import { Migration } from '@mikro-orm/migrations';
import { idempotencyKeyDdl } from '@portal/subgraph-kit';

/** Idempotency keys of this subgraph's mutations (24 h; packages/subgraph-kit/src/idempotency.ts). */
export class Migration20261207031500_idempotency_keys extends Migration {
  override name = 'Migration20261207031500_idempotency_keys';

  override up(): void {
    this.addSql(idempotencyKeyDdl('tenancy'));
  }
}
