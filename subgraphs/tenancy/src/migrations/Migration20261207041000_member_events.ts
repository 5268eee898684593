import { Migration } from '@mikro-orm/migrations';

/**
 * The event outbox also carries `member.updated` and `account.upserted` (packages/platform
 * member-events.ts) through the same relay: those rows have no room.
 */
export class Migration20261207041000_member_events extends Migration {
  override name = 'Migration20261207041000_member_events';

  override up(): void {
    this.addSql(`
      alter table tenancy.event_outbox alter column room_id drop not null;
      alter table tenancy.event_outbox drop constraint event_outbox_event_check;
      alter table tenancy.event_outbox add constraint event_outbox_event_check
        check (event in ('room.upserted', 'room.removed', 'member.updated', 'account.upserted'));
      alter table tenancy.event_outbox add constraint event_outbox_room_check
        check ((event like 'room.%') = (room_id is not null));
    `);
  }
}
