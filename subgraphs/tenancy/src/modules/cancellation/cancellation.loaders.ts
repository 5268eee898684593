import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { Lease, Room, type ILease, type IRoom } from '../room/room.entity.ts';
import { Member } from '../member/member.entity.ts';
import {
  Cancellation,
  CancellationApproval,
  CancellationHistoryEvent,
  SettlementStatement,
  type ICancellation,
  type ICancellationApproval,
  type ICancellationHistoryEvent,
  type ISettlementStatement,
} from './cancellation.entity.ts';

export interface RoomView {
  room: IRoom;
  memberNumber: string;
}

/**
 * Per-request batching for the cancellation area: one statement per kind of lookup, whatever the
 * number of rows. A member's identity reads through the default member filter; an operator's
 * (no member, scope `operator`, which only operator sessions hold) reads across members — the
 * operator fields that lead here are guarded by that scope.
 */
export function createCancellationLoaders(em: EntityManager, identity: Identity) {
  const opts = identity.kind === 'operator' ? ({ filters: false } as const) : {};
  const byKey = <K, V>(rows: V[], key: (v: V) => K) => new Map(rows.map((r) => [key(r), r]));
  const grouped = <V>(ids: readonly string[], rows: V[], key: (v: V) => string) => {
    const out = new Map<string, V[]>(ids.map((id) => [id, []]));
    for (const r of rows) out.get(key(r))?.push(r);
    return ids.map((id) => out.get(id) ?? []);
  };
  return {
    byId: new DataLoader<string, ICancellation | null>(async (ids) => {
      const m = byKey(await em.find(Cancellation, { id: { $in: [...ids] } }, opts), (c) => c.id);
      return ids.map((id) => m.get(id) ?? null);
    }),
    approvals: new DataLoader<string, ICancellationApproval[]>(async (ids) =>
      grouped(ids, await em.find(CancellationApproval, { cancellationId: { $in: [...ids] } }, { ...opts, orderBy: { decidedAt: 'asc' } }), (a) => a.cancellationId),
    ),
    history: new DataLoader<string, ICancellationHistoryEvent[]>(async (ids) =>
      grouped(ids, await em.find(CancellationHistoryEvent, { cancellationId: { $in: [...ids] } }, { ...opts, orderBy: { seq: 'asc' } }), (e) => e.cancellationId),
    ),
    statementByCancellation: new DataLoader<string, ISettlementStatement | null>(async (ids) => {
      const m = byKey(await em.find(SettlementStatement, { cancellationId: { $in: [...ids] } }, opts), (s) => s.cancellationId);
      return ids.map((id) => m.get(id) ?? null);
    }),
    statementById: new DataLoader<string, ISettlementStatement | null>(async (ids) => {
      const m = byKey(await em.find(SettlementStatement, { id: { $in: [...ids] } }, opts), (s) => s.id);
      return ids.map((id) => m.get(id) ?? null);
    }),
    lease: new DataLoader<string, ILease | null>(async (ids) => {
      const m = byKey(await em.find(Lease, { id: { $in: [...ids] } }, opts), (l) => l.id);
      return ids.map((id) => m.get(id) ?? null);
    }),
    /** The room with its property and member number, for the flat fields operators read. */
    room: new DataLoader<string, RoomView | null>(async (ids) => {
      const rooms = await em.find(Room, { id: { $in: [...ids] } }, { ...opts, populate: ['property'] });
      const members = byKey(await em.find(Member, { id: { $in: [...new Set(rooms.map((r) => r.memberId))] } }, opts), (m) => m.id);
      const m = byKey(rooms, (r) => r.id);
      return ids.map((id) => {
        const room = m.get(id);
        return room ? { room, memberNumber: members.get(room.memberId)?.memberNumber ?? '' } : null;
      });
    }),
  };
}
export type CancellationLoaders = ReturnType<typeof createCancellationLoaders>;
