import { Migration } from '@mikro-orm/migrations';
import { memberRefTablesDdl } from '../modules/member-ref/member-ref.read-model.ts';

/**
 * Billing's copies of tenancy's member information and account names (`member.updated`,
 * `account.upserted`; contracts in @portal/events member.events.ts): the refund statement's addressee, and
 * the name of whoever held, confirmed or reserved. Both tables carry `member_id`.
 */
export class Migration20261207040000_member_refs extends Migration {
  override name = 'Migration20261207040000_member_refs';

  override up(): void {
    this.addSql(memberRefTablesDdl('billing'));
  }
}
