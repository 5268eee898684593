import { Migration } from '@mikro-orm/migrations';

/**
 * 解約対象検索 at scale: a member's rooms of given properties (prefecture/city or name filters join
 * property → room by this index instead of intersecting bitmaps per property). Measured with
 * scripts/cancellation-explain.ts on the 200,000-room data set; see docs/cancellation.md.
 */
export class Migration20261122310000_cancellation_search extends Migration {
  override name = 'Migration20261122310000_cancellation_search';

  override up(): void {
    this.addSql('create index room_member_property_idx on tenancy.room (member_id, property_id);');
  }
}
