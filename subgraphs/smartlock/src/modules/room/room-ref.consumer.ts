import type { MikroORM } from '@mikro-orm/postgresql';
import { applyRoomEvent, createSqlPool, parseRoomEvent, ROOM_EVENTS, type JobQueue } from '@portal/platform';
import type { PlatformServices } from '@portal/subgraph-kit';

/** Smartlock's queue on the event bus. */
export const ROOM_EVENTS_QUEUE = 'smartlock.room-events';

/**
 * Subscribes smartlock's room read model (smartlock.room_ref) to tenancy's room events. Applying is
 * idempotent and version-checked (platform/room-events.ts), so redeliveries and out-of-order
 * deliveries are harmless. Statements go through a pool of their own: they belong to no request.
 */
export async function registerRoomRefConsumer({ orm, services }: { orm: MikroORM; services: PlatformServices & { jobs: JobQueue } }): Promise<void> {
  const bus = services.events;
  if (!bus) throw new Error('smartlock: the room read model needs the event bus (declare `events: true`)');
  const pool = createSqlPool(String(orm.config.get('clientUrl')));
  services.onStop(() => pool.end());
  await bus.subscribe([ROOM_EVENTS.upserted, ROOM_EVENTS.removed], ROOM_EVENTS_QUEUE, async (event) => {
    await applyRoomEvent(pool, 'smartlock', parseRoomEvent(event.event, event.data));
  });
}
