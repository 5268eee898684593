import { Migration } from '@mikro-orm/migrations';

/** Uses of download links go into the member's trail, also without a session: an ANONYMOUS actor. */
export class Migration20261207010000_download_audit extends Migration {
  override name = 'Migration20261207010000_download_audit';

  override up(): void {
    this.addSql(`
      alter table billing.audit_outbox
        drop constraint if exists audit_outbox_actor_type_check,
        add constraint audit_outbox_actor_type_check check (actor_type in ('ACCOUNT', 'OPERATOR', 'ANONYMOUS'));
    `);
  }
}
