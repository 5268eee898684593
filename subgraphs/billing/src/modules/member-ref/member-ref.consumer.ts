import type { MikroORM } from '@mikro-orm/postgresql';
import { ACCOUNT_EVENTS, MEMBER_EVENTS, parseMemberEvent } from '@portal/events';
import { createSqlPool, type JobQueue } from '@portal/platform';
import type { PlatformServices } from '@portal/subgraph-kit';
import { applyMemberEvent } from './member-ref.read-model.ts';

/** Billing's queue on the event bus for tenancy's member and account events. */
export const MEMBER_EVENTS_QUEUE = 'billing.member-events';

/**
 * Keeps `billing.member_ref` and `billing.account_ref` from tenancy's `member.updated` and
 * `account.upserted`. Applying is idempotent and version-checked (member-ref.read-model.ts), so
 * redeliveries and out-of-order deliveries are harmless. Statements go through a pool of their
 * own: they belong to no request. Tests drive it with `services.events.runDue(MEMBER_EVENTS_QUEUE)`.
 */
export async function registerMemberRefConsumer({ orm, services }: { orm: MikroORM; services: PlatformServices & { jobs: JobQueue } }): Promise<void> {
  const bus = services.events;
  if (!bus) throw new Error('billing: the member read model needs the event bus (declare `events: true`)');
  const pool = createSqlPool(String(orm.config.get('clientUrl')), { scope: 'system' });
  services.onStop(() => pool.end());
  await bus.subscribe([MEMBER_EVENTS.updated, ACCOUNT_EVENTS.upserted], MEMBER_EVENTS_QUEUE, async (event) => {
    await applyMemberEvent(pool, 'billing', parseMemberEvent(event.event, event.data));
  });
}
