import { Migration } from '@mikro-orm/migrations';
import { roomRefTableDdl } from '@portal/subgraph-kit';

/**
 * The local read model of tenancy's rooms (room_ref), fed by `room.upserted` / `room.removed` from
 * the event bus (and filled straight from the demo world by the demo loader), so the resident search
 * (入居者・Smartlock受取者検索) filters and pages in one SQL statement here, without asking tenancy.
 *
 * `version` is tenancy's outbox sequence of the event the row was built from (0 for rows the demo
 * loader wrote); a removed room stays as a tombstone (`removed`) so a late older event cannot bring
 * it back. Every index starts with member_id (searches never leave one member) and skips
 * tombstones. Property names are matched partially within the member's rows (no trigram index:
 * pg_trgm is a database-wide extension that a subgraph's migration should not own, and it does not
 * index the two-character Japanese terms users type most, e.g. 中野).
 */
export class Migration20261124000000_room_ref extends Migration {
  override name = 'Migration20261124000000_room_ref';

  override up(): void {
    this.addSql(`
      ${roomRefTableDdl('smartlock')}
      -- The search's order and keyset paging (APNo, room number, id), and the APNo filter (exact).
      create index room_ref_list_idx on smartlock.room_ref (member_id, ap_no, room_number, room_id) where not removed;
      -- Room number (exact).
      create index room_ref_room_number_idx on smartlock.room_ref (member_id, room_number) where not removed;
      -- Prefecture, or prefecture and city (都道府県・市区郡), exact; then the list order.
      create index room_ref_area_idx on smartlock.room_ref (member_id, prefecture, city, ap_no, room_number, room_id) where not removed;
      -- Property name (物件名) has no index of its own: it is a partial match, evaluated on the rows
      -- the member-first index above yields (a member's rooms, at most a few thousand).
    `);
  }
}
