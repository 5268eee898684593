import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional event outbox: a change to a room or its lease writes its `room.upserted` /
 * `room.removed` row here in the same transaction, and the relay job publishes pending rows to the
 * shared event bus (`portal_events`) in `seq` order, then stamps `published_at`. `seq` is the
 * event's version for the consumers' read models; the writer takes the room's row lock before
 * drawing it, so for one room it grows in commit order.
 */
export class Migration20261122500000_event_outbox extends Migration {
  override name = 'Migration20261122500000_event_outbox';

  override up(): void {
    this.addSql(`
      create table tenancy.event_outbox (
        seq bigint generated always as identity primary key,
        event text not null check (event in ('room.upserted', 'room.removed')),
        room_id uuid not null,
        payload jsonb not null,
        created_at timestamptz not null default now(),
        published_at timestamptz,
        attempts integer not null default 0,
        last_error text
      );
      -- The relay's work list: pending rows in order (SKIP LOCKED lets several replicas share it).
      create index event_outbox_pending_idx on tenancy.event_outbox (seq) where published_at is null;
      create index event_outbox_room_idx on tenancy.event_outbox (room_id, seq);
    `);
  }
}
