import type { MikroORM } from '@mikro-orm/postgresql';
import { createSqlPool, type JobQueue } from '@portal/platform';
import type { PlatformServices } from '@portal/subgraph-kit';
import { relayRoomEvents } from './room-events.relay.ts';

/** The relay's queue in tenancy's job schema. */
export const ROOM_EVENT_RELAY_QUEUE = 'tenancy-event-relay';
/** Every minute (the safety net); a change can also kick the relay at once with `kickRoomEventRelay`. */
export const ROOM_EVENT_RELAY_CRON = '* * * * *';

/**
 * Registers the outbox relay: a cron tick every minute and a worker that drains
 * `tenancy.event_outbox` to the shared event bus. Tests run it with
 * `services.jobs.send(ROOM_EVENT_RELAY_QUEUE, {})` + `services.jobs.runDue(ROOM_EVENT_RELAY_QUEUE)`.
 */
export async function registerRoomEventJobs({ orm, services }: { orm: MikroORM; services: PlatformServices & { jobs: JobQueue } }): Promise<void> {
  const bus = services.events;
  if (!bus) throw new Error('tenancy: the room event relay needs the event bus (declare `events: true`)');
  const pool = createSqlPool(String(orm.config.get('clientUrl')), { scope: 'system' });
  services.onStop(() => pool.end());
  await services.jobs.schedule(ROOM_EVENT_RELAY_QUEUE, ROOM_EVENT_RELAY_CRON);
  await services.jobs.work(ROOM_EVENT_RELAY_QUEUE, async () => {
    await relayRoomEvents({ pool, bus, clock: services.clock });
  });
}

/** Asks for a relay run now (after the transaction that wrote events has committed). */
export async function kickRoomEventRelay(jobs: JobQueue): Promise<void> {
  await jobs.send(ROOM_EVENT_RELAY_QUEUE, {});
}
