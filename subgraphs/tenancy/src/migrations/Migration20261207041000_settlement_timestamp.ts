import { Migration } from '@mikro-orm/migrations';

/**
 * The RFC 3161 time stamp of a settlement statement (M:566 "タイムスタンプが付与されたPDF", issue 11 item 6):
 * the token's file beside the PDF, the stamped time and the PDF's SHA-256. Statements published before
 * have none.
 */
export class Migration20261207041000_settlement_timestamp extends Migration {
  override name = 'Migration20261207041000_settlement_timestamp';

  override up(): void {
    this.addSql(`alter table tenancy.settlement_statement
      add column timestamp_token_key text,
      add column timestamp_gen_time timestamptz,
      add column document_sha256 text`);
  }
}
