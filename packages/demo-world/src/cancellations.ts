import type { DemoWorld } from './world.ts';
import { stableUuid } from './bulk.ts';

/*
 * The seeded cancellations of the demo world, one table: tenancy's seeder writes them, and the demo
 * activity (tooling/demo-data) finds the move-outs it publishes statements for through the same ids.
 */
/** One seeded cancellation: its status, when it was filed (days before today), its date (days after filing), and its history as [event, from, to, actor, days after filing]. */
export type Plan = { status: string; filedDaysAgo: number; dateIn: number; approvals: number; events: [string, string | null, string, 'ACCOUNT' | 'OPERATOR', number][] };
export const CANCELLATION_PLANS: readonly Plan[] = [
  { status: 'AWAITING_APPROVAL', filedDaysAgo: 1, dateIn: 45, approvals: 1, events: [['FILE_FOR_APPROVAL', null, 'AWAITING_APPROVAL', 'ACCOUNT', 0]] },
  { status: 'SUBMITTED', filedDaysAgo: 6, dateIn: 30, approvals: 0, events: [['FILE', null, 'SUBMITTED', 'ACCOUNT', 0]] },
  { status: 'SUBMITTED', filedDaysAgo: 16, dateIn: 21, approvals: 1, events: [['FILE_FOR_APPROVAL', null, 'AWAITING_APPROVAL', 'ACCOUNT', 0], ['APPROVE_LAST', 'AWAITING_APPROVAL', 'SUBMITTED', 'ACCOUNT', 1]] },
  { status: 'CHANGE_PENDING', filedDaysAgo: 12, dateIn: 26, approvals: 0, events: [['FILE', null, 'SUBMITTED', 'ACCOUNT', 0], ['REQUEST_CHANGE', 'SUBMITTED', 'CHANGE_PENDING', 'ACCOUNT', 11]] },
  { status: 'CHANGE_ERROR', filedDaysAgo: 25, dateIn: 33, approvals: 0, events: [['FILE', null, 'SUBMITTED', 'ACCOUNT', 0], ['REQUEST_WITHDRAWAL', 'SUBMITTED', 'CHANGE_PENDING', 'ACCOUNT', 20], ['REFUSE_CHANGE', 'CHANGE_PENDING', 'CHANGE_ERROR', 'ACCOUNT', 21]] },
  { status: 'DENIED', filedDaysAgo: 9, dateIn: 40, approvals: 1, events: [['FILE_FOR_APPROVAL', null, 'AWAITING_APPROVAL', 'ACCOUNT', 0], ['DENY', 'AWAITING_APPROVAL', 'DENIED', 'ACCOUNT', 1]] },
  { status: 'WITHDRAWN', filedDaysAgo: 20, dateIn: 35, approvals: 0, events: [['FILE', null, 'SUBMITTED', 'ACCOUNT', 0], ['REQUEST_WITHDRAWAL', 'SUBMITTED', 'CHANGE_PENDING', 'ACCOUNT', 3], ['ACCEPT_WITHDRAWAL', 'CHANGE_PENDING', 'WITHDRAWN', 'ACCOUNT', 3]] },
  { status: 'MOVED_OUT', filedDaysAgo: 50, dateIn: 30, approvals: 0, events: [['FILE', null, 'SUBMITTED', 'ACCOUNT', 0], ['MOVE_OUT', 'SUBMITTED', 'MOVED_OUT', 'OPERATOR', 31]] },
  { status: 'MOVED_OUT', filedDaysAgo: 70, dateIn: 40, approvals: 0, events: [['FILE', null, 'SUBMITTED', 'ACCOUNT', 0], ['MOVE_OUT', 'SUBMITTED', 'MOVED_OUT', 'OPERATOR', 41]] },
];

/** The room of the i-th seeded cancellation: spread over the member's list so a search shows them among the others. */
export const planRoom = <R>(rooms: readonly R[], i: number): R => rooms[150 + i * 97]!;

/** The id of the seeded cancellation of a room (stable, so the demo activity can find the move-outs). */
export const demoCancellationId = (roomId: string): string => stableUuid(`cancellation:${roomId}`);

/** The seeded move-outs of member 10000001 (status MOVED_OUT), the older first. */
export function demoMovedOutCancellationIds(world: DemoWorld): string[] {
  const sample = world.members.find((m) => m.memberNumber === '10000001');
  if (!sample) return [];
  const rooms = world.rooms.filter((r) => r.memberId === sample.id);
  return CANCELLATION_PLANS.map((plan, i) => ({ plan, i }))
    .filter(({ plan }) => plan.status === 'MOVED_OUT')
    .sort((a, b) => b.plan.filedDaysAgo - a.plan.filedDaysAgo)
    .map(({ i }) => demoCancellationId(planRoom(rooms, i).id));
}

