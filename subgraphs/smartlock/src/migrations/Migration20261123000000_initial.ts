import { Migration } from '@mikro-orm/migrations';

/**
 * Smartlock's schema, first slice: residents of rooms, the member's smartlock recipients and which
 * recipient holds each room's key. Every table carries member_id; room ids are tenancy's (no foreign
 * key across schemas). Later slices add registration requests (登録依頼, keyed by resident slot),
 * change requests, key events (an outbox towards homehub) and a local read model of room attributes
 * for the combined search; they hang off these tables by room_id / recipient id.
 */
export class Migration20261123000000_initial extends Migration {
  override name = 'Migration20261123000000_initial';

  override up(): void {
    this.addSql(`
      create table smartlock.resident (
        id uuid primary key,
        member_id uuid not null,
        room_id uuid not null,
        slot smallint not null check (slot in (1, 2)),
        name text not null check (char_length(name) between 1 and 13),
        kana text not null check (char_length(kana) between 1 and 26),
        phone varchar(20),
        email varchar(254),
        gender text check (gender in ('MALE', 'FEMALE')),
        relation text check (relation in ('EMPLOYEE', 'OTHER')),
        birth_date date,
        nationality text check (nationality in ('JAPAN', 'OTHER')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint resident_room_slot_key unique (room_id, slot)
      );
      create index resident_member_room_idx on smartlock.resident (member_id, room_id);

      create table smartlock.smartlock_recipient (
        id uuid primary key,
        member_id uuid not null,
        recipient_code varchar(64) not null check (recipient_code ~ '^[A-Za-z0-9+._@&-]{1,64}$'),
        name_kanji text not null check (char_length(name_kanji) between 1 and 100),
        name_kana text not null check (char_length(name_kana) between 1 and 100),
        phone varchar(20),
        email varchar(254) not null,
        verification_code_hash text not null,
        verification_status text not null default 'UNVERIFIED' check (verification_status in ('UNVERIFIED', 'VERIFIED', 'EXPIRED', 'FAILED')),
        verification_sent_at timestamptz,
        verified_at timestamptz,
        failed_attempts smallint not null default 0 check (failed_attempts >= 0),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint smartlock_recipient_verified_at_check check ((verification_status = 'VERIFIED') = (verified_at is not null)),
        -- target of room_recipient's composite key: a room can only hold a recipient of its own member.
        constraint smartlock_recipient_id_member_key unique (id, member_id)
      );
      -- Recipient ID and e-mail are unique (重複不可) within a member, case-insensitively. Not across
      -- members: a global constraint would tell one member which IDs and addresses another one uses.
      create unique index smartlock_recipient_code_key on smartlock.smartlock_recipient (member_id, lower(recipient_code));
      create unique index smartlock_recipient_email_key on smartlock.smartlock_recipient (member_id, lower(email));
      -- The list order (recipient ID, id) and its keyset paging.
      create index smartlock_recipient_list_idx on smartlock.smartlock_recipient (member_id, recipient_code, id);
      -- The verification status filter (stored status, then the 14-day window on the send time).
      create index smartlock_recipient_status_idx on smartlock.smartlock_recipient (member_id, verification_status, verification_sent_at);

      create table smartlock.room_recipient (
        room_id uuid primary key,
        member_id uuid not null,
        recipient_id uuid not null,
        assigned_at timestamptz not null default now(),
        -- restrict: a recipient set on a room cannot be deleted (remove it from the room first).
        constraint room_recipient_recipient_fk foreign key (recipient_id, member_id)
          references smartlock.smartlock_recipient (id, member_id) on delete restrict
      );
      create index room_recipient_recipient_idx on smartlock.room_recipient (recipient_id);
      create index room_recipient_member_idx on smartlock.room_recipient (member_id);
    `);
  }
}
