import { randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ISSUER, timeStampDocument, tsaOf } from '@portal/documents';
import { jstDate, jstDateOf, jstStartOfDay, addDays, type JstDate } from '@portal/platform';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import type { TenancyLoaders } from '../../loaders.ts';
import { Member } from '../member/member.entity.ts';
import { Room } from '../room/room.entity.ts';
import { OperatorAccount } from '../operator/operator-account.entity.ts';
import { Cancellation, SettlementStatement, type ICancellation, type ISettlementStatement } from './cancellation.entity.ts';
import { cancellationError, type CancellationErrorCode } from './cancellation.errors.ts';
import { applyTransition, recordHistory, type Actor } from './cancellation-lifecycle.ts';
import { transition, type CancellationStatus } from './cancellation-status.rule.ts';
import { auditCancellation } from './cancellation-audit.ts';
import { TAX_RATES, settlementTotals, type SettlementLine } from './settlement.rule.ts';
import { renderSettlementPdf } from './settlement.pdf.ts';

type Ctx = SubgraphContext<TenancyLoaders>;
type Result<T> = ({ ok: true } & T) | { ok: false; userErrors: UserError[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const fail = (code: CancellationErrorCode, field: string | null = null): { ok: false; userErrors: UserError[] } => ({ ok: false, userErrors: [cancellationError(code, field)] });
/** Operators read and write across members: every query here names the member explicitly or goes by id. */
const ACROSS = { filters: false } as const;

export interface OperatorCancellationFilter {
  memberNumber?: string | null;
  statuses?: CancellationStatus[] | null;
  apNo?: string | null;
  filedFrom?: string | null;
  filedTo?: string | null;
}

export interface OperatorCursor {
  filedAt: string;
  id: string;
}

export const MAX_STATEMENT_LINES = 50;
const DESCRIPTION_MAX = 40;
const LINE_AMOUNT_LIMIT = 100_000_000;
const NOTE_MAX = 200;

/**
 * The back office's side of cancellation (scope `operator`, no member): incoming cancellations of
 * every member, the "next lease decided" mark, move-out, and publishing settlement statements.
 */
export class CancellationOperatorService {
  constructor(private readonly ctx: Ctx) {}

  private async actor(em: EntityManager): Promise<Actor> {
    const op = this.ctx.identity.accountId ? await em.findOne(OperatorAccount, { id: this.ctx.identity.accountId }) : null;
    return { type: 'OPERATOR', id: this.ctx.identity.accountId, name: op?.name ?? null };
  }

  private lock(em: EntityManager, id: string): Promise<ICancellation | null> {
    return UUID.test(id) ? em.findOne(Cancellation, { id }, { ...ACROSS, lockMode: LockMode.PESSIMISTIC_WRITE }) : Promise.resolve(null);
  }

  async list(filter: OperatorCancellationFilter | null, first: number, after: OperatorCursor | null): Promise<{ rows: ICancellation[]; hasNextPage: boolean; totalCount: number }> {
    const em = this.ctx.em;
    const where: Record<string, unknown>[] = [];
    const f = filter ?? {};
    if (f.memberNumber) {
      const member = await em.findOne(Member, { memberNumber: f.memberNumber }, ACROSS);
      where.push({ memberId: member?.id ?? '00000000-0000-0000-0000-000000000000' });
    }
    if (f.apNo) {
      const rooms = await em.find(Room, { property: { apNo: f.apNo } }, { ...ACROSS, fields: ['id'] });
      where.push({ roomId: { $in: rooms.map((r) => r.id) } });
    }
    if (f.statuses?.length) where.push({ status: { $in: f.statuses } });
    if (f.filedFrom) where.push({ filedAt: { $gte: jstStartOfDay(jstDate(f.filedFrom)) } });
    if (f.filedTo) where.push({ filedAt: { $lt: jstStartOfDay(addDays(jstDate(f.filedTo), 1)) } });
    const base = (where.length ? { $and: where } : {}) as FilterQuery<ICancellation>;
    const page = after
      ? ({ $and: [base, { $or: [{ filedAt: { $lt: new Date(after.filedAt) } }, { filedAt: new Date(after.filedAt), id: { $lt: after.id } }] }] } as FilterQuery<ICancellation>)
      : base;
    const [rows, totalCount] = await Promise.all([
      em.find(Cancellation, page, { ...ACROSS, orderBy: [{ filedAt: 'desc' }, { id: 'desc' }], limit: first + 1 }),
      em.count(Cancellation, base, ACROSS),
    ]);
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
  }

  async markNextLeaseDecided(cancellationId: string, decided: boolean): Promise<Result<{ cancellation: ICancellation }>> {
    const now = this.ctx.clock.now();
    return this.ctx.em.transactional(async (em) => {
      const c = await this.lock(em, cancellationId);
      if (!c) return fail('NOT_FOUND', 'input.cancellationId');
      // Meaningful only once the company has the cancellation and the room is being re-let.
      if (!['SUBMITTED', 'CHANGE_PENDING', 'CHANGE_ERROR', 'MOVED_OUT'].includes(c.status)) return fail('INVALID_STATUS', 'input.cancellationId');
      c.nextLeaseDecidedAt = decided ? (c.nextLeaseDecidedAt ?? now) : null;
      c.updatedAt = now;
      recordHistory(em, c, decided ? 'MARK_NEXT_LEASE_DECIDED' : 'CLEAR_NEXT_LEASE_DECIDED', c.status as CancellationStatus, c.status as CancellationStatus, await this.actor(em), now);
      await auditCancellation(em, this.ctx, 'CANCELLATION_NEXT_LEASE_MARKED', c, { decided });
      return { ok: true as const, cancellation: c };
    });
  }

  async recordMoveOut(cancellationId: string, movedOutOn: string | null): Promise<Result<{ cancellation: ICancellation }>> {
    const now = this.ctx.clock.now();
    return this.ctx.em.transactional(async (em) => {
      const c = await this.lock(em, cancellationId);
      if (!c) return fail('NOT_FOUND', 'input.cancellationId');
      if (!transition(c.status as CancellationStatus, 'MOVE_OUT')) return fail('INVALID_STATUS', 'input.cancellationId');
      const day = (movedOutOn ?? c.cancellationDate) as JstDate;
      if (day > jstDateOf(now)) return fail('DATE_INVALID', 'input.movedOutOn');
      c.movedOutOn = day;
      applyTransition(em, c, 'MOVE_OUT', await this.actor(em), now, { movedOutOn: day });
      await auditCancellation(em, this.ctx, 'CANCELLATION_MOVED_OUT', c, { movedOutOn: day });
      return { ok: true as const, cancellation: c };
    });
  }

  async publishSettlement(input: { cancellationId: string; issuedOn?: string | null; lines: SettlementLine[]; note?: string | null }): Promise<Result<{ statement: ISettlementStatement }>> {
    const now = this.ctx.clock.now();
    const lines = input.lines.map((l) => ({ description: l.description.trim(), amount: l.amount, taxRate: l.taxRate }));
    if (
      lines.length < 1 ||
      lines.length > MAX_STATEMENT_LINES ||
      lines.some((l) => l.description.length < 1 || l.description.length > DESCRIPTION_MAX || !Number.isInteger(l.amount) || Math.abs(l.amount) >= LINE_AMOUNT_LIMIT || !(l.taxRate in TAX_RATES))
    ) {
      return fail('STATEMENT_LINES_INVALID', 'input.lines');
    }
    const note = input.note?.trim() || null;
    if (note && note.length > NOTE_MAX) return fail('STATEMENT_LINES_INVALID', 'input.note');
    try {
      return await this.ctx.em.transactional(async (em) => {
        const c = await this.lock(em, input.cancellationId);
        if (!c) return fail('NOT_FOUND', 'input.cancellationId');
        // "お部屋の解約後は、解約清算明細書がアップロードされます": after move-out only.
        if (c.status !== 'MOVED_OUT') return fail('INVALID_STATUS', 'input.cancellationId');
        if (await em.count(SettlementStatement, { cancellationId: c.id }, ACROSS)) return fail('STATEMENT_ALREADY_PUBLISHED', 'input.cancellationId');
        const room = await em.findOne(Room, { id: c.roomId }, { ...ACROSS, populate: ['property'] });
        const member = await em.findOne(Member, { id: c.memberId }, ACROSS);
        const totals = settlementTotals(lines);
        const issuedOn = input.issuedOn ?? jstDateOf(now);
        const seq = (await em.execute<{ seq: string }[]>(`select nextval('tenancy.settlement_statement_seq') as seq`))[0]!.seq;
        const statementNumber = `S${issuedOn.replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
        const id = randomUUID();
        const pdf = await renderSettlementPdf({
          statementNumber,
          issuedOn,
          publishedAt: now,
          issuer: ISSUER,
          member: { name: member!.name, memberNumber: member!.memberNumber },
          room: { apNo: room!.property.apNo, propertyName: room!.property.name, roomNumber: room!.roomNumber, address: `${room!.property.prefecture}${room!.property.city} ${room!.property.street}` },
          cancellationDate: c.cancellationDate,
          movedOutOn: c.movedOutOn ?? null,
          lines,
          byRate: totals.byRate,
          subtotal: totals.subtotal,
          totalTax: totals.totalTax,
          totalAmount: totals.totalAmount,
          note,
        });
        const fileKey = `settlement-statements/${c.memberId}/${id}.pdf`;
        // "タイムスタンプが付与されたPDF" (M:566): stamped once, at publication; a TSA failure fails the publication
        // (a system fault: nothing is committed, the operator publishes again).
        const stamped = await timeStampDocument(tsaOf(this.ctx.services).tsa, pdf);
        const timestampTokenKey = `${fileKey}.tsr`;
        // Stored before the row commits: a failed commit leaves unreferenced files, never a row without its PDF.
        await this.ctx.services.files.put(fileKey, pdf);
        await this.ctx.services.files.put(timestampTokenKey, stamped.token);
        const statement = em.create(SettlementStatement, {
          id,
          memberId: c.memberId,
          cancellationId: c.id,
          roomId: c.roomId,
          statementNumber,
          issuedOn,
          issuerName: ISSUER.name,
          issuerRegistrationNumber: ISSUER.registrationNumber,
          lines,
          taxBreakdown: totals.byRate,
          subtotal: totals.subtotal,
          totalTax: totals.totalTax,
          totalAmount: totals.totalAmount,
          note,
          fileKey,
          timestampTokenKey,
          timestampGenTime: stamped.genTime ?? null,
          documentSha256: stamped.sha256,
          publishedBy: this.ctx.identity.accountId!,
          publishedAt: now,
        } as never) as ISettlementStatement;
        recordHistory(em, c, 'PUBLISH_SETTLEMENT_STATEMENT', 'MOVED_OUT', 'MOVED_OUT', await this.actor(em), now, { statementNumber, totalAmount: totals.totalAmount });
        await auditCancellation(em, this.ctx, 'SETTLEMENT_STATEMENT_PUBLISHED', c, { statementNumber, totalAmount: totals.totalAmount });
        return { ok: true as const, statement };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return fail('STATEMENT_ALREADY_PUBLISHED', 'input.cancellationId');
      throw error;
    }
  }
}
