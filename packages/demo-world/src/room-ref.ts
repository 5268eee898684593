import type pg from 'pg';
import type { DemoWorld } from './world.ts';
import { bulkInsert } from './bulk.ts';

/**
 * Fills `<schema>.room_ref` (smartlock's and contracts' read model of tenancy's rooms) straight
 * from the demo world, which knows every room, instead of replaying tenancy's room events. Version
 * 0: any real event (tenancy's outbox sequence starts at 1) replaces these rows. The columns are
 * those the room event consumer writes (subgraph-kit room-read-model.ts).
 */
export async function seedRoomRefs(client: pg.ClientBase, world: DemoWorld, schema: 'smartlock' | 'contracts'): Promise<void> {
  await bulkInsert(client, `${schema}.room_ref`, {
    room_id: 'uuid', member_id: 'uuid', member_number: 'varchar', ap_no: 'varchar', property_name: 'text', room_number: 'varchar', prefecture: 'text', city: 'text',
    move_in_date: 'date', has_smartlock: 'boolean', lease_start: 'date', lease_end: 'date', version: 'int8',
  }, world.rooms.map((r) => ({
    room_id: r.id, member_id: r.memberId, member_number: r.memberNumber, ap_no: r.property.apNo, property_name: r.property.name, room_number: r.roomNumber,
    prefecture: r.property.prefecture, city: r.property.city, move_in_date: r.moveInDate, has_smartlock: r.hasSmartlock, lease_start: r.lease.startDate, lease_end: null, version: 0,
  })));
}
