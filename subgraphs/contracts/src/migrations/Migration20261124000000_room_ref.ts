import { Migration } from '@mikro-orm/migrations';
import { roomRefTableDdl } from '@portal/subgraph-kit';

/**
 * Contracts' local read model of tenancy's rooms (room_ref), fed by `room.upserted` / `room.removed`
 * from the event bus (and filled straight from the demo world by the demo loader). It answers
 * "which rooms does this member lease", so a blanket fire insurance policy (包括) covers exactly the
 * member's contracted rooms, and it carries what the per-room insurance search filters by (APNo,
 * room, property, prefecture/city, member number). `version` is tenancy's outbox sequence (0 for
 * demo rows); removed rooms stay as tombstones so a late older event cannot bring them back.
 */
export class Migration20261124000000_room_ref extends Migration {
  override name = 'Migration20261124000000_room_ref';

  override up(): void {
    this.addSql(`
      ${roomRefTableDdl('contracts')}
      -- The blanket policy's "is this the caller's contracted room" lookup goes by primary key; the
      -- per-room insurance search (next) lists a member's rooms by APNo and room, or by area.
      create index room_ref_list_idx on contracts.room_ref (member_id, ap_no, room_number, room_id) where not removed;
      create index room_ref_area_idx on contracts.room_ref (member_id, prefecture, city, ap_no, room_number, room_id) where not removed;
    `);
  }
}
