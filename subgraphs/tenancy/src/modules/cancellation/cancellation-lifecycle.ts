import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CancellationHistoryEvent, type ICancellation } from './cancellation.entity.ts';
import { decidePending, type PendingKind } from './cancellation-change.rule.ts';
import { transition, type CancellationEvent, type CancellationStatus } from './cancellation-status.rule.ts';

export interface Actor {
  type: 'ACCOUNT' | 'OPERATOR' | 'SYSTEM';
  id: string | null;
  name: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', id: null, name: '法人WEBシステム' };

/**
 * The only way a cancellation's status changes: asks the state machine, writes the new status and
 * a history row. An illegal transition here is a programming error (the service checks the rules
 * first and answers with userErrors), so it throws and the transaction rolls back.
 */
export function applyTransition(em: EntityManager, c: ICancellation, event: CancellationEvent, actor: Actor, now: Date, details: Record<string, unknown> = {}): CancellationStatus {
  const from = (c.status || null) as CancellationStatus | null;
  const to = transition(from, event);
  if (!to) throw new Error(`Illegal cancellation transition ${from ?? '(new)'} --${event}--> (cancellation ${c.id})`);
  c.status = to;
  c.updatedAt = now;
  recordHistory(em, c, event, from, to, actor, now, details);
  return to;
}

/** A history row without a status change (operator marks, notes). */
export function recordHistory(
  em: EntityManager,
  c: ICancellation,
  event: string,
  from: CancellationStatus | null,
  to: CancellationStatus,
  actor: Actor,
  now: Date,
  details: Record<string, unknown> = {},
): void {
  em.create(CancellationHistoryEvent, {
    id: randomUUID(),
    memberId: c.memberId,
    cancellationId: c.id,
    at: now,
    event,
    fromStatus: from,
    toStatus: to,
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    details,
  } as never);
}

/**
 * Decides a pending change/withdrawal (the company's answer): accepted, the date moves or the
 * cancellation ends; refused (next lease decided), status 変更エラー with the reason. Used at once
 * in the daytime and by the 8:00 job for requests entered at night.
 */
export function decidePendingRequest(em: EntityManager, c: ICancellation, now: Date, actor: Actor): 'ACCEPTED' | 'REFUSED' {
  const kind = c.pendingKind as PendingKind;
  const decision = decidePending(kind, c.nextLeaseDecidedAt !== null && c.nextLeaseDecidedAt !== undefined);
  const details: Record<string, unknown> = { kind, requestedAt: c.pendingRequestedAt?.toISOString() ?? null };
  if (decision.event === 'ACCEPT_CHANGE') {
    details.from = c.cancellationDate;
    details.to = c.pendingDate;
    c.cancellationDate = c.pendingDate!;
    c.witnessConsent = c.pendingConsent ?? false;
  }
  if (decision.refusal) {
    c.changeErrorCode = decision.refusal;
    c.changeErrorAt = now;
    details.refusal = decision.refusal;
  }
  c.pendingKind = null;
  c.pendingDate = null;
  c.pendingAtWitnessRequest = null;
  c.pendingConsent = null;
  c.pendingRequestedAt = null;
  c.pendingRequestedBy = null;
  c.decideAfter = null;
  applyTransition(em, c, decision.event, actor, now, details);
  return decision.refusal ? 'REFUSED' : 'ACCEPTED';
}
