import { ROOM_EVENTS, roomRemoved, roomUpserted } from '@portal/events';
import type { SqlExecutor } from '@portal/platform';

/**
 * Writes room events into `tenancy.event_outbox` through the caller's transaction, so the event
 * commits or rolls back with the change that caused it. Call it after changing a room, its property
 * or its lease, inside the same `em.transactional(...)` (`fromMikroOrm(em)`), or inside BEGIN…COMMIT
 * of a pg client. The payload is read from the tables as they are in that transaction, so the event
 * always says what was committed.
 *
 * Ordering: the rooms' rows are locked (FOR UPDATE) before the sequence is drawn, so two
 * transactions changing the same room get sequences in commit order, and the consumers' version
 * check ("never apply an older event over a newer one") matches what tenancy committed.
 *
 * Statements: two per call, whatever the number of rooms (a bulk import passes all its rooms at once).
 */
export async function recordRoomUpserts(exec: SqlExecutor, roomIds: readonly string[]): Promise<number> {
  const ids = [...new Set(roomIds)];
  if (ids.length === 0) return 0;
  const list = JSON.stringify(ids);
  await exec.query(
    `SELECT id FROM tenancy.room WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid) ORDER BY id FOR UPDATE`,
    [list],
  );
  const { rows } = await exec.query(
    `INSERT INTO tenancy.event_outbox (event, room_id, payload)
     SELECT '${ROOM_EVENTS.upserted}', r.id, jsonb_build_object(
              'v', ${roomUpserted.version}, 'roomId', r.id, 'memberId', r.member_id, 'memberNumber', m.member_number, 'apNo', p.ap_no,
              'propertyName', p.name, 'roomNumber', r.room_number, 'prefecture', p.prefecture, 'city', p.city,
              'moveInDate', r.move_in_date, 'hasSmartlock', r.has_smartlock, 'leaseStart', l.start_date, 'leaseEnd', l.end_date)
       FROM tenancy.room r
       JOIN tenancy.property p ON p.id = r.property_id
       JOIN tenancy.member m ON m.id = r.member_id
       LEFT JOIN LATERAL (SELECT start_date, end_date FROM tenancy.lease WHERE room_id = r.id ORDER BY start_date DESC, id DESC LIMIT 1) l ON true
      WHERE r.id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)
      ORDER BY r.id
     RETURNING seq`,
    [list],
  );
  return rows.length;
}

/**
 * Writes `room.removed` for rooms about to be deleted (or taken away from their member) in this
 * transaction. Pass the member the room belonged to: consumers keep a tombstone under it.
 */
export async function recordRoomRemovals(exec: SqlExecutor, rooms: readonly { roomId: string; memberId: string }[]): Promise<number> {
  if (rooms.length === 0) return 0;
  const list = JSON.stringify(rooms.map((r) => ({ roomId: r.roomId, memberId: r.memberId })));
  await exec.query(
    `SELECT id FROM tenancy.room WHERE id IN (SELECT (e->>'roomId')::uuid FROM jsonb_array_elements($1::jsonb) e) ORDER BY id FOR UPDATE`,
    [list],
  );
  const { rows } = await exec.query(
    `INSERT INTO tenancy.event_outbox (event, room_id, payload)
     SELECT '${ROOM_EVENTS.removed}', (e->>'roomId')::uuid, jsonb_build_object('v', ${roomRemoved.version}, 'roomId', e->>'roomId', 'memberId', e->>'memberId')
       FROM jsonb_array_elements($1::jsonb) e
      ORDER BY e->>'roomId'
     RETURNING seq`,
    [list],
  );
  return rows.length;
}
