import { randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueMail, fromMikroOrm, jstDate, jstDateOf, type JstDate } from '@portal/platform';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import type { TenancyLoaders } from '../../loaders.ts';
import { Account, type IAccount } from '../identity/account.entity.ts';
import { Lease, Room, type ILease, type IRoom } from '../room/room.entity.ts';
import { Cancellation, CancellationApproval, type ICancellation } from './cancellation.entity.ts';
import { cancellationError, type CancellationErrorCode } from './cancellation.errors.ts';
import { parseFilingFields, DENIAL_REASON_MAX, type FilingFields } from './cancellation-input.ts';
import {
  cancellationDateViolations,
  decisionTime,
  defaultMoveOutFrom,
  earliestCancellationDate,
  isNightWindow,
  isWithin7Days,
  penaltyWarning,
  type PenaltyWarning,
} from './cancellation-date.rule.ts';
import { dateChangeViolations, withdrawalViolations, type ChangeableState, type Violation } from './cancellation-change.rule.ts';
import { applyTransition, decidePendingRequest, SYSTEM_ACTOR, type Actor } from './cancellation-lifecycle.ts';
import { cancellationMail, type MailFacts, type MailKind } from './cancellation.mail.ts';
import { auditCancellation, type CancellationAuditAction } from './cancellation-audit.ts';
import { CancellationSearchRepository, type CancellationSearchFilter, type SearchCursor, type SearchRow } from './cancellation-search.repository.ts';
import type { CancellationStatus } from './cancellation-status.rule.ts';

type Ctx = SubgraphContext<TenancyLoaders>;

/** The job queue that decides changes and withdrawals entered between 20:00 and 8:00. */
export const DECIDE_QUEUE = 'cancellation-decide';

export interface FileCancellationInput {
  roomId: string;
  cancellationDate: string;
  reasons: string[];
  contactName: string;
  contactPhone: string;
  approvalsRequired: number;
}

export interface RuleVerdict {
  rule: string;
  passed: boolean;
  error: UserError | null;
}

interface FilingEvaluation {
  verdicts: RuleVerdict[];
  userErrors: UserError[];
  room: IRoom | null;
  lease: ILease | null;
  fields: FilingFields | null;
  penalty: PenaltyWarning | null;
  earliestDate: JstDate;
}

type Outcome = 'ACCEPTED' | 'PENDING' | 'REFUSED';
type Result<T> = ({ ok: true } & T) | { ok: false; userErrors: UserError[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (id: string) => UUID.test(id);
const fail = (code: CancellationErrorCode, field: string | null = null): { ok: false; userErrors: UserError[] } => ({ ok: false, userErrors: [cancellationError(code, field)] });
const fromViolations = (v: Violation[]) => ({ ok: false as const, userErrors: v.map((x) => cancellationError(x.code, x.field)) });

/** Which rule of the preview each error code belongs to. */
const RULE_OF: Partial<Record<CancellationErrorCode, string>> = {
  ROOM_NOT_LEASED: 'ROOM_LEASED',
  ALREADY_CANCELLING: 'NOT_ALREADY_CANCELLING',
  DATE_WITHIN_7_DAYS: 'DATE_NOT_WITHIN_7_DAYS',
  DATE_IN_YEAR_END_CLOSURE: 'NOT_IN_YEAR_END_CLOSURE',
  DATE_AFTER_LEASE_END: 'WITHIN_LEASE',
  REASON_REQUIRED: 'REASONS',
  TOO_MANY_REASONS: 'REASONS',
  DUPLICATE_REASON: 'REASONS',
  CONTACT_NAME_INVALID: 'CONTACT_NAME',
  CONTACT_PHONE_INVALID: 'CONTACT_PHONE',
  APPROVALS_INVALID: 'APPROVERS_AVAILABLE',
  NOT_ENOUGH_APPROVERS: 'APPROVERS_AVAILABLE',
};
const RULES = ['ROOM_LEASED', 'NOT_ALREADY_CANCELLING', 'DATE_NOT_WITHIN_7_DAYS', 'NOT_IN_YEAR_END_CLOSURE', 'WITHIN_LEASE', 'REASONS', 'CONTACT_NAME', 'CONTACT_PHONE', 'APPROVERS_AVAILABLE'];

/** Accounts that may approve: cancellation REQUEST, or administrators (every area at its highest level). */
const APPROVER = { $or: [{ cancellationLevel: 'REQUEST' }, { isAdmin: true }] };

/**
 * The member side of mid-term cancellation: filing (with a preview that saves nothing), approvals,
 * change of date and withdrawal, search. Every write runs in one transaction with its history,
 * mails (outbox) and audit record; a refusal writes nothing.
 */
export class CancellationService {
  constructor(private readonly ctx: Ctx) {}

  private get me(): string {
    return this.ctx.identity.accountId!;
  }

  private async account(em: EntityManager): Promise<IAccount | null> {
    return em.findOne(Account, { id: this.me });
  }

  private actorOf(account: IAccount | null): Actor {
    return { type: 'ACCOUNT', id: this.me, name: account?.name ?? null };
  }

  // ------------------------------------------------------------------------------------------
  // Filing

  /** Every rule's verdict for a filing, read-only. */
  private async evaluate(em: EntityManager, input: FileCancellationInput, today: JstDate): Promise<FilingEvaluation> {
    const errors: UserError[] = [];
    const parsed = parseFilingFields({ reasons: input.reasons, contactName: input.contactName, contactPhone: input.contactPhone, approvalsRequired: input.approvalsRequired });
    if (!parsed.ok) errors.push(...parsed.violations.map((v) => cancellationError(v.code, v.field)));

    const room = isUuid(input.roomId) ? await em.findOne(Room, { id: input.roomId }, { populate: ['property'] }) : null;
    const lease = room ? await em.findOne(Lease, { roomId: room.id }, { orderBy: { startDate: 'desc' } }) : null;
    const leased = !!room && !!lease && !(lease.endDate && lease.endDate < today);
    if (!leased) errors.push(cancellationError('ROOM_NOT_LEASED', 'input.roomId'));
    else if (await em.count(Cancellation, { leaseId: lease!.id, status: { $in: ['AWAITING_APPROVAL', 'SUBMITTED', 'CHANGE_PENDING', 'CHANGE_ERROR', 'MOVED_OUT'] } })) {
      errors.push(cancellationError('ALREADY_CANCELLING', 'input.roomId'));
    }

    const date = jstDate(input.cancellationDate);
    for (const code of cancellationDateViolations(date, today, leased ? ((lease!.endDate as JstDate | null) ?? null) : null)) errors.push(cancellationError(code, 'input.cancellationDate'));

    if (Number.isInteger(input.approvalsRequired) && input.approvalsRequired > 0) {
      const available = await em.count(Account, { ...APPROVER, id: { $ne: this.me } });
      if (input.approvalsRequired > available) errors.push(cancellationError('NOT_ENOUGH_APPROVERS', 'input.approvalsRequired'));
    }

    const verdicts = RULES.map((rule) => {
      const error = errors.find((e) => RULE_OF[e.code as CancellationErrorCode] === rule) ?? null;
      return { rule, passed: !error, error };
    });
    const penalty = leased ? penaltyWarning(date, { penaltyUntil: (lease!.penaltyUntil as JstDate | null) ?? null, penaltyAmount: lease!.penaltyAmount ?? null }) : null;
    return { verdicts, userErrors: errors, room: leased ? room : null, lease: leased ? lease : null, fields: parsed.ok ? parsed.value : null, penalty, earliestDate: earliestCancellationDate(today) };
  }

  async preview(input: FileCancellationInput) {
    const e = await this.evaluate(this.ctx.em, input, jstDateOf(this.ctx.clock.now()));
    return { acceptable: e.userErrors.length === 0, verdicts: e.verdicts, userErrors: e.userErrors, earliestDate: e.earliestDate, penalty: e.penalty, requiresApproval: input.approvalsRequired > 0 };
  }

  async file(input: FileCancellationInput): Promise<Result<{ cancellation: ICancellation; penalty: PenaltyWarning | null }>> {
    const now = this.ctx.clock.now();
    const today = jstDateOf(now);
    try {
      return await this.ctx.em.transactional(async (em) => {
        // Serialises filings for one room; the live-lease unique index backs it up.
        if (isUuid(input.roomId)) await em.findOne(Room, { id: input.roomId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        const e = await this.evaluate(em, input, today);
        if (e.userErrors.length > 0 || !e.room || !e.lease || !e.fields) return { ok: false as const, userErrors: e.userErrors };
        const account = await this.account(em);
        const actor = this.actorOf(account);
        await em.nativeUpdate(Cancellation, { roomId: e.room.id, latest: true }, { latest: false });
        const c = em.create(Cancellation, {
          id: randomUUID(),
          memberId: e.room.memberId,
          roomId: e.room.id,
          leaseId: e.lease.id,
          status: '',
          cancellationDate: input.cancellationDate,
          originalDate: input.cancellationDate,
          reasons: e.fields.reasons,
          contactName: e.fields.contactName,
          contactPhone: e.fields.contactPhone,
          approvalsRequired: e.fields.approvalsRequired,
          requestedBy: this.me,
          requestedByName: account?.name ?? '',
          filedAt: now,
          submittedAt: e.fields.approvalsRequired === 0 ? now : null,
          latest: true,
          dateChangeCount: 0,
          withdrawalCount: 0,
          witnessConsent: false,
          createdAt: now,
          updatedAt: now,
        } as never) as ICancellation;
        applyTransition(em, c, e.fields.approvalsRequired === 0 ? 'FILE' : 'FILE_FOR_APPROVAL', actor, now, { cancellationDate: input.cancellationDate, approvalsRequired: e.fields.approvalsRequired });
        if (e.fields.approvalsRequired > 0) await this.notify(em, c, 'REQUESTED', e.room, {});
        await this.audit(em, 'CANCELLATION_FILED', c, e.room, { cancellationDate: c.cancellationDate, reasons: c.reasons, approvalsRequired: c.approvalsRequired, penalty: e.penalty });
        return { ok: true as const, cancellation: c, penalty: e.penalty };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return fail('ALREADY_CANCELLING', 'input.roomId');
      throw error;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Approvals

  private async lockOwn(em: EntityManager, id: string): Promise<ICancellation | null> {
    return isUuid(id) ? em.findOne(Cancellation, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  }

  async approve(cancellationId: string): Promise<Result<{ cancellation: ICancellation }>> {
    const now = this.ctx.clock.now();
    return this.ctx.em.transactional(async (em) => {
      const c = await this.lockOwn(em, cancellationId);
      if (!c) return fail('NOT_FOUND', 'input.cancellationId');
      if (c.status !== 'AWAITING_APPROVAL') return fail('NOT_AWAITING_APPROVAL', 'input.cancellationId');
      if (c.requestedBy === this.me) return fail('CANNOT_APPROVE_OWN', 'input.cancellationId');
      const given = await em.find(CancellationApproval, { cancellationId: c.id });
      if (given.some((a) => a.accountId === this.me)) return fail('ALREADY_DECIDED', 'input.cancellationId');
      const approvals = given.filter((a) => a.decision === 'APPROVED').length + 1;
      const last = approvals >= c.approvalsRequired;
      // The last approval submits it to the company, so the filing date rule must still hold then.
      if (last && isWithin7Days(c.cancellationDate as JstDate, jstDateOf(now))) return fail('DATE_WITHIN_7_DAYS', null);
      const account = await this.account(em);
      em.create(CancellationApproval, { id: randomUUID(), memberId: c.memberId, cancellationId: c.id, accountId: this.me, accountName: account?.name ?? '', decision: 'APPROVED', reason: null, decidedAt: now } as never);
      applyTransition(em, c, last ? 'APPROVE_LAST' : 'APPROVE', this.actorOf(account), now, { approvals, approvalsRequired: c.approvalsRequired });
      if (last) c.submittedAt = now;
      const room = await em.findOne(Room, { id: c.roomId }, { populate: ['property'] });
      await this.notify(em, c, last ? 'SUBMITTED' : 'APPROVED', room!, { actorName: account?.name ?? '', approvalsGiven: approvals });
      await this.audit(em, 'CANCELLATION_APPROVED', c, room, { approvals, approvalsRequired: c.approvalsRequired, submitted: last });
      return { ok: true as const, cancellation: c };
    });
  }

  async deny(cancellationId: string, reason: string): Promise<Result<{ cancellation: ICancellation }>> {
    const now = this.ctx.clock.now();
    const text = reason.trim();
    return this.ctx.em.transactional(async (em) => {
      const c = await this.lockOwn(em, cancellationId);
      if (!c) return fail('NOT_FOUND', 'input.cancellationId');
      if (c.status !== 'AWAITING_APPROVAL') return fail('NOT_AWAITING_APPROVAL', 'input.cancellationId');
      if (c.requestedBy === this.me) return fail('CANNOT_APPROVE_OWN', 'input.cancellationId');
      if (text.length === 0 || text.length > DENIAL_REASON_MAX) return fail('DENIAL_REASON_REQUIRED', 'input.reason');
      if (await em.count(CancellationApproval, { cancellationId: c.id, accountId: this.me })) return fail('ALREADY_DECIDED', 'input.cancellationId');
      const account = await this.account(em);
      em.create(CancellationApproval, { id: randomUUID(), memberId: c.memberId, cancellationId: c.id, accountId: this.me, accountName: account?.name ?? '', decision: 'DENIED', reason: text, decidedAt: now } as never);
      applyTransition(em, c, 'DENY', this.actorOf(account), now, { reason: text });
      Object.assign(c, { deniedBy: this.me, deniedByName: account?.name ?? '', deniedAt: now, denialReason: text });
      const room = await em.findOne(Room, { id: c.roomId }, { populate: ['property'] });
      await this.notify(em, c, 'DENIED', room!, { actorName: account?.name ?? '', reason: text });
      await this.audit(em, 'CANCELLATION_DENIED', c, room, { reason: text });
      return { ok: true as const, cancellation: c };
    });
  }

  async awaitingMyApproval(): Promise<ICancellation[]> {
    const mine = await this.ctx.em.find(CancellationApproval, { accountId: this.me }, { fields: ['cancellationId'] });
    return this.ctx.em.find(
      Cancellation,
      { status: 'AWAITING_APPROVAL', requestedBy: { $ne: this.me }, ...(mine.length ? { id: { $nin: mine.map((a) => a.cancellationId) } } : {}) },
      { orderBy: [{ filedAt: 'asc' }, { id: 'asc' }] },
    );
  }

  // ------------------------------------------------------------------------------------------
  // Change of date and withdrawal

  async changeDate(input: { cancellationId: string; newDate: string; atWitnessRequest: boolean; consent: boolean }): Promise<Result<{ outcome: Outcome; cancellation: ICancellation }>> {
    return this.request(input.cancellationId, 'DATE_CHANGE', (state, today) => dateChangeViolations(state, { newDate: jstDate(input.newDate), atWitnessRequest: input.atWitnessRequest, consent: input.consent }, today), (c) => {
      c.dateChangeCount = 1;
      c.pendingDate = input.newDate;
      c.pendingAtWitnessRequest = input.atWitnessRequest;
      c.pendingConsent = input.consent;
      return { newDate: input.newDate, atWitnessRequest: input.atWitnessRequest, consent: input.consent };
    });
  }

  async withdraw(input: { cancellationId: string; confirm: boolean }): Promise<Result<{ outcome: Outcome; cancellation: ICancellation }>> {
    return this.request(input.cancellationId, 'WITHDRAWAL', (state, today) => withdrawalViolations(state, { confirm: input.confirm }, today), (c) => {
      c.withdrawalCount = 1;
      return {};
    }, input.confirm);
  }

  /**
   * A change or withdrawal: checked at entry (once only, 7 days, dates, consent), then pending.
   * In the daytime the company decides at once (same transaction); between 20:00 and 8:00 it stays
   * 中途解約日変更（取消）受付中 and a job decides it after 8:00.
   */
  private async request(
    cancellationId: string,
    kind: 'DATE_CHANGE' | 'WITHDRAWAL',
    violations: (state: ChangeableState, today: JstDate) => Violation[],
    mark: (c: ICancellation) => Record<string, unknown>,
    confirmed = true,
  ): Promise<Result<{ outcome: Outcome; cancellation: ICancellation }>> {
    const now = this.ctx.clock.now();
    const today = jstDateOf(now);
    const night = isNightWindow(now);
    const result = await this.ctx.em.transactional(async (em): Promise<Result<{ outcome: Outcome; cancellation: ICancellation; refused: boolean }>> => {
      const c = await this.lockOwn(em, cancellationId);
      if (!c) return fail('NOT_FOUND', 'input.cancellationId');
      const account = await this.account(em);
      const room = await em.findOne(Room, { id: c.roomId }, { populate: ['property'] });
      // A request still awaiting approval never reached the company: withdrawing it ends it at once.
      if (kind === 'WITHDRAWAL' && c.status === 'AWAITING_APPROVAL') {
        if (!confirmed) return fail('CONFIRMATION_REQUIRED', 'input.confirm');
        c.withdrawalCount = 1;
        applyTransition(em, c, 'WITHDRAW_UNSUBMITTED', this.actorOf(account), now);
        await this.audit(em, 'CANCELLATION_WITHDRAWAL_REQUESTED', c, room, { beforeSubmission: true });
        return { ok: true as const, outcome: 'ACCEPTED' as const, cancellation: c, refused: false };
      }
      const lease = await em.findOne(Lease, { id: c.leaseId });
      const state: ChangeableState = {
        status: c.status as CancellationStatus,
        cancellationDate: c.cancellationDate as JstDate,
        dateChangeCount: c.dateChangeCount,
        withdrawalCount: c.withdrawalCount,
        leaseEnd: (lease?.endDate as JstDate | null | undefined) ?? null,
      };
      const found = violations(state, today);
      if (found.length > 0) return fromViolations(found);
      const details = mark(c);
      c.pendingKind = kind;
      c.pendingRequestedAt = now;
      c.pendingRequestedBy = this.me;
      c.decideAfter = night ? decisionTime(now) : now;
      applyTransition(em, c, kind === 'DATE_CHANGE' ? 'REQUEST_CHANGE' : 'REQUEST_WITHDRAWAL', this.actorOf(account), now, { ...details, night });
      const outcome: Outcome = night ? 'PENDING' : decidePendingRequest(em, c, now, SYSTEM_ACTOR);
      await this.audit(em, kind === 'DATE_CHANGE' ? 'CANCELLATION_DATE_CHANGE_REQUESTED' : 'CANCELLATION_WITHDRAWAL_REQUESTED', c, room, { ...details, outcome });
      return { ok: true as const, outcome, cancellation: c, refused: outcome === 'REFUSED' };
    });
    if (result.ok && result.outcome === 'PENDING') {
      // After commit: the 8:00 sweep also finds the row should this send be lost.
      await this.ctx.services.jobs?.send(DECIDE_QUEUE, { cancellationId: result.cancellation.id }, { startAfter: result.cancellation.decideAfter! });
    }
    return result;
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  byId(id: string): Promise<ICancellation | null> {
    return isUuid(id) ? this.ctx.loaders.cancellation.byId.load(id) : Promise.resolve(null);
  }

  async search(filter: Omit<CancellationSearchFilter, 'moveOut'> & { moveOut?: { from?: string | null; to?: string | null; includeOccupied?: boolean | null } | null }, first: number, after: SearchCursor | null): Promise<{ rows: SearchRow[]; hasNextPage: boolean; totalCount: number }> {
    const today = jstDateOf(this.ctx.clock.now());
    const moveOut = filter.moveOut
      ? { from: (filter.moveOut.from as JstDate | null) ?? null, to: (filter.moveOut.to as JstDate | null) ?? null, includeOccupied: filter.moveOut.includeOccupied ?? true }
      : { from: defaultMoveOutFrom(today), to: null, includeOccupied: true };
    const resolved: CancellationSearchFilter = { ...filter, moveOut };
    const repo = new CancellationSearchRepository(this.ctx.em);
    const [page, totalCount] = await Promise.all([repo.page(resolved, first, after), repo.count(resolved)]);
    return { ...page, totalCount };
  }

  // ------------------------------------------------------------------------------------------
  // Mail and audit

  /** One mail per opted-in account of the member that may act on cancellations, except the actor. */
  private async notify(em: EntityManager, c: ICancellation, kind: MailKind, room: IRoom, extra: { actorName?: string; reason?: string; approvalsGiven?: number }): Promise<void> {
    const recipients = await em.find(Account, { ...APPROVER, cancellationNotify: true, id: { $ne: this.me } }, { orderBy: { id: 'asc' } });
    const facts: MailFacts = {
      apNo: room.property.apNo,
      propertyName: room.property.name,
      roomNumber: room.roomNumber,
      cancellationDate: c.cancellationDate,
      reasons: c.reasons,
      requestedByName: c.requestedByName,
      approvalsRequired: c.approvalsRequired,
      approvalsGiven: extra.approvalsGiven ?? 0,
    };
    for (const r of recipients) await enqueueMail(fromMikroOrm(em), this.ctx.services.mailSchema, cancellationMail(kind, r.email, facts, extra));
  }

  private audit(em: EntityManager, action: CancellationAuditAction, c: ICancellation, room: IRoom | null, details: Record<string, unknown>): Promise<void> {
    const label = room ? `${room.property.apNo} ${room.property.name} ${room.roomNumber}` : undefined;
    return auditCancellation(em, this.ctx, action, { id: c.id, memberId: c.memberId, label }, { status: c.status, ...details });
  }
}
