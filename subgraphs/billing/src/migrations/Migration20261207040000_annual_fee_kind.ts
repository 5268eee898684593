import { Migration } from '@mikro-orm/migrations';

/**
 * The kind of a line's annual-fee amount (年会費 / 維持手数料 / 更新費用, issue 11 item 9). Lines imported
 * before have none (NOT VALID: the rule binds new and updated rows only; documents print the combined label).
 */
export class Migration20261207040000_annual_fee_kind extends Migration {
  override name = 'Migration20261207040000_annual_fee_kind';

  override up(): void {
    this.addSql(`alter table billing.invoice_line add column annual_fee_kind text
      constraint invoice_line_annual_fee_kind_check check (annual_fee_kind in ('ANNUAL_FEE', 'MAINTENANCE_FEE', 'RENEWAL_FEE'))`);
    this.addSql(`alter table billing.invoice_line add constraint invoice_line_annual_fee_kind_required
      check (annual_fee = 0 or annual_fee_kind is not null) not valid`);
  }
}
