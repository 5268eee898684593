import { Migration } from '@mikro-orm/migrations';

/** Uses of download links in the member's trail (tenancy's own links and billing's, relayed as `audit.recorded`). */
export class Migration20261207010000_download_audit extends Migration {
  override name = 'Migration20261207010000_download_audit';

  override up(): void {
    this.addSql(`alter type tenancy.audit_action add value 'FILE_DOWNLOADED'`);
    this.addSql(`alter type tenancy.audit_action add value 'FILE_DOWNLOAD_REFUSED'`);
  }
}
