/**
 * @portal/events: every event one subgraph publishes for another, defined once: its name, the
 * version of its payload and the zod schema publishers and consumers share. The transport (outbox
 * relay, pg-boss bus) is @portal/platform's; the read models that apply these events belong to
 * their consumers. A second definition of an event name fails test/architecture/events.test.ts.
 */
export * from './contract.ts';
export * from './room.events.ts';
export * from './member.events.ts';
export * from './audit.events.ts';
export * from './sanitize.ts';

import { roomRemoved, roomUpserted } from './room.events.ts';
import { accountUpserted, memberUpdated } from './member.events.ts';
import { auditRecorded } from './audit.events.ts';

/** Every cross-subgraph event contract; a new one is added here. */
export const EVENT_CONTRACTS = [roomUpserted, roomRemoved, memberUpdated, accountUpserted, auditRecorded] as const;
