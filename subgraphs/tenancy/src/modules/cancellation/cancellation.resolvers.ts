import { GraphQLError } from 'graphql';
import { jstDateOf, type JstDate } from '@portal/platform';
import { idempotent, type Keyed, type SubgraphContext, type UserError } from '@portal/subgraph-kit';
import type { TenancyLoaders } from '../../loaders.ts';
import type { ICancellation, ICancellationApproval, ICancellationHistoryEvent, ISettlementStatement } from './cancellation.entity.ts';
import { CANCELLATION_ERRORS, cancellationError, type CancellationErrorCode } from './cancellation.errors.ts';
import { CancellationService, type FileCancellationInput } from './cancellation.service.ts';
import { CancellationOperatorService, type OperatorCancellationFilter, type OperatorCursor } from './cancellation-operator.service.ts';
import { SettlementService } from './settlement.service.ts';
import { decodeSearchCursor, encodeSearchCursor, type CancellationSearchFilter, type SearchRow } from './cancellation-search.repository.ts';
import { STATUS_LABELS, type CancellationStatus } from './cancellation-status.rule.ts';
import { requestBlockers, type ChangeableState } from './cancellation-change.rule.ts';
import { penaltyWarning, type PenaltyWarning } from './cancellation-date.rule.ts';
import type { SettlementLine } from './settlement.rule.ts';

type Ctx = SubgraphContext<TenancyLoaders>;
const MAX_PAGE = 200;

function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (n < 1 || n > MAX_PAGE) throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  return n;
}

function penaltyView(p: PenaltyWarning | null) {
  if (!p) return null;
  const amount = p.amount === null ? '' : `（${p.amount.toLocaleString('ja-JP')}円）`;
  return {
    penaltyUntil: p.penaltyUntil,
    amount: p.amount,
    message: `The date is within the early-termination penalty period (until ${p.penaltyUntil}); a penalty${p.amount === null ? '' : ` of ${p.amount} yen`} applies.`,
    messageJa: `${p.penaltyUntil.replaceAll('-', '/')}までの解約は短期解約違約金${amount}が発生します。`,
  };
}

const payload = <T extends object>(r: ({ ok: true } & T) | { ok: false; userErrors: UserError[] }, shape: (ok: T) => object, empty: object) =>
  r.ok ? { ...shape(r), userErrors: [] } : { ...empty, userErrors: r.userErrors };

const encodeOperatorCursor = (c: ICancellation) => Buffer.from(JSON.stringify([c.filedAt.toISOString(), c.id])).toString('base64url');
function decodeOperatorCursor(cursor: string): OperatorCursor {
  try {
    const [filedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof filedAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(filedAt)) && /^[0-9a-f-]{36}$/i.test(id)) return { filedAt, id };
  } catch {
    // fall through
  }
  throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
}

function changeState(c: ICancellation): ChangeableState {
  return { status: c.status as CancellationStatus, cancellationDate: c.cancellationDate as JstDate, dateChangeCount: c.dateChangeCount, withdrawalCount: c.withdrawalCount, leaseEnd: null };
}

export const cancellationResolvers = {
  Query: {
    async cancellationTargets(_: unknown, args: { filter?: Omit<CancellationSearchFilter, 'moveOut'> & { moveOut?: { from?: string | null; to?: string | null; includeOccupied?: boolean } | null }; first?: number | null; after?: string | null }, ctx: Ctx) {
      const first = pageSize(args.first);
      const after = args.after ? decodeSearchCursor(args.after) : null;
      if (args.after && !after) throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      const { rows, hasNextPage, totalCount } = await new CancellationService(ctx).search(args.filter ?? {}, first, after);
      const edges = rows.map((node) => ({ node, cursor: encodeSearchCursor({ apNo: node.apNo, roomNumber: node.roomNumber, roomId: node.roomId }) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    cancellation: (_: unknown, args: { id: string }, ctx: Ctx) => new CancellationService(ctx).byId(args.id),
    cancellationPreview: (_: unknown, args: { input: FileCancellationInput }, ctx: Ctx) =>
      new CancellationService(ctx).preview(args.input).then((p) => ({ ...p, penalty: penaltyView(p.penalty) })),
    cancellationsAwaitingMyApproval: (_: unknown, __: unknown, ctx: Ctx) => new CancellationService(ctx).awaitingMyApproval(),
    async operatorCancellations(_: unknown, args: { filter?: OperatorCancellationFilter | null; first?: number | null; after?: string | null }, ctx: Ctx) {
      const first = pageSize(args.first);
      const { rows, hasNextPage, totalCount } = await new CancellationOperatorService(ctx).list(args.filter ?? null, first, args.after ? decodeOperatorCursor(args.after) : null);
      rows.forEach((c) => ctx.loaders.cancellation.byId.prime(c.id, c));
      const edges = rows.map((node) => ({ node, cursor: encodeOperatorCursor(node) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
  Mutation: {
    fileCancellation: idempotent({ cancellation: null, penalty: null }, async (args: { input: FileCancellationInput & Keyed }, ctx: Ctx) =>
      payload(await new CancellationService(ctx).file(args.input), (r) => ({ cancellation: r.cancellation, penalty: penaltyView(r.penalty) }), { cancellation: null, penalty: null })),
    approveCancellation: idempotent({ cancellation: null }, async (args: { input: { cancellationId: string } & Keyed }, ctx: Ctx) =>
      payload(await new CancellationService(ctx).approve(args.input.cancellationId), (r) => ({ cancellation: r.cancellation }), { cancellation: null })),
    denyCancellation: idempotent({ cancellation: null }, async (args: { input: { cancellationId: string; reason: string } & Keyed }, ctx: Ctx) =>
      payload(await new CancellationService(ctx).deny(args.input.cancellationId, args.input.reason), (r) => ({ cancellation: r.cancellation }), { cancellation: null })),
    changeCancellationDate: idempotent({ outcome: null, cancellation: null }, async (args: { input: { cancellationId: string; newDate: string; atWitnessRequest: boolean; consent: boolean } & Keyed }, ctx: Ctx) =>
      changePayload(await new CancellationService(ctx).changeDate(args.input))),
    withdrawCancellation: idempotent({ outcome: null, cancellation: null }, async (args: { input: { cancellationId: string; confirm: boolean } & Keyed }, ctx: Ctx) =>
      changePayload(await new CancellationService(ctx).withdraw(args.input))),
    downloadSettlementStatements: idempotent({ url: null, filename: null, count: 0 }, async (args: { input: { statementIds: string[] } & Keyed }, ctx: Ctx) =>
      payload(await new SettlementService(ctx).downloadZip(args.input.statementIds), (r) => ({ url: r.url, filename: r.filename, count: r.count }), { url: null, filename: null, count: 0 })),
    operatorMarkNextLeaseDecided: async (_: unknown, args: { input: { cancellationId: string; decided: boolean } }, ctx: Ctx) =>
      payload(await new CancellationOperatorService(ctx).markNextLeaseDecided(args.input.cancellationId, args.input.decided), (r) => ({ cancellation: r.cancellation }), { cancellation: null }),
    operatorRecordMoveOut: idempotent({ cancellation: null }, async (args: { input: { cancellationId: string; movedOutOn?: string | null } & Keyed }, ctx: Ctx) =>
      payload(await new CancellationOperatorService(ctx).recordMoveOut(args.input.cancellationId, args.input.movedOutOn ?? null), (r) => ({ cancellation: r.cancellation }), { cancellation: null })),
    operatorPublishSettlementStatement: idempotent({ settlementStatement: null }, async (args: { input: { cancellationId: string; issuedOn?: string | null; lines: SettlementLine[]; note?: string | null } & Keyed }, ctx: Ctx) =>
      payload(await new CancellationOperatorService(ctx).publishSettlement(args.input), (r) => ({ settlementStatement: r.statement }), { settlementStatement: null })),
  },
  Cancellation: {
    statusLabel: (c: ICancellation) => STATUS_LABELS[c.status as CancellationStatus].ja,
    room: async (c: ICancellation, _: unknown, ctx: Ctx) => (await ctx.loaders.cancellation.room.load(c.roomId))?.room,
    apNo: async (c: ICancellation, _: unknown, ctx: Ctx) => (await ctx.loaders.cancellation.room.load(c.roomId))?.room.property.apNo,
    propertyName: async (c: ICancellation, _: unknown, ctx: Ctx) => (await ctx.loaders.cancellation.room.load(c.roomId))?.room.property.name,
    roomNumber: async (c: ICancellation, _: unknown, ctx: Ctx) => (await ctx.loaders.cancellation.room.load(c.roomId))?.room.roomNumber,
    prefecture: async (c: ICancellation, _: unknown, ctx: Ctx) => (await ctx.loaders.cancellation.room.load(c.roomId))?.room.property.prefecture,
    city: async (c: ICancellation, _: unknown, ctx: Ctx) => (await ctx.loaders.cancellation.room.load(c.roomId))?.room.property.city,
    memberNumber: async (c: ICancellation, _: unknown, ctx: Ctx) => (await ctx.loaders.cancellation.room.load(c.roomId))?.memberNumber,
    approvals: (c: ICancellation, _: unknown, ctx: Ctx) => ctx.loaders.cancellation.approvals.load(c.id),
    async approvalsRemaining(c: ICancellation, _: unknown, ctx: Ctx) {
      if (c.status !== 'AWAITING_APPROVAL') return 0;
      const given = (await ctx.loaders.cancellation.approvals.load(c.id)).filter((a) => a.decision === 'APPROVED').length;
      return Math.max(0, c.approvalsRequired - given);
    },
    requestedByMe: (c: ICancellation, _: unknown, ctx: Ctx) => c.requestedBy === ctx.identity.accountId,
    denial: (c: ICancellation) => (c.deniedAt ? { deniedByName: c.deniedByName ?? '', reason: c.denialReason ?? '', deniedAt: c.deniedAt } : null),
    dateChangeUsed: (c: ICancellation) => c.dateChangeCount > 0,
    withdrawalUsed: (c: ICancellation) => c.withdrawalCount > 0,
    canChangeDate: (c: ICancellation, _: unknown, ctx: Ctx) => requestBlockers(changeState(c), jstDateOf(ctx.clock.now()), 'DATE_CHANGE').length === 0,
    canWithdraw: (c: ICancellation, _: unknown, ctx: Ctx) =>
      c.status === 'AWAITING_APPROVAL' || requestBlockers(changeState(c), jstDateOf(ctx.clock.now()), 'WITHDRAWAL').length === 0,
    pendingRequest: (c: ICancellation) =>
      c.pendingKind ? { kind: c.pendingKind, newDate: c.pendingDate ?? null, requestedAt: c.pendingRequestedAt, decidedAfter: c.decideAfter } : null,
    changeError: (c: ICancellation) => {
      if (!c.changeErrorCode) return null;
      const messages = CANCELLATION_ERRORS[c.changeErrorCode as CancellationErrorCode];
      return { code: c.changeErrorCode, message: messages.en, messageJa: messages.ja, at: c.changeErrorAt };
    },
    nextLeaseDecided: (c: ICancellation) => !!c.nextLeaseDecidedAt,
    async penalty(c: ICancellation, _: unknown, ctx: Ctx) {
      const lease = await ctx.loaders.cancellation.lease.load(c.leaseId);
      return lease ? penaltyView(penaltyWarning(c.cancellationDate as JstDate, { penaltyUntil: (lease.penaltyUntil as JstDate | null) ?? null, penaltyAmount: lease.penaltyAmount ?? null })) : null;
    },
    settlementStatement: (c: ICancellation, _: unknown, ctx: Ctx) => ctx.loaders.cancellation.statementByCancellation.load(c.id),
    history: (c: ICancellation, _: unknown, ctx: Ctx) => ctx.loaders.cancellation.history.load(c.id),
  },
  CancellationApproval: {
    decision: (a: ICancellationApproval) => a.decision,
  },
  CancellationHistoryEntry: {
    event: (e: ICancellationHistoryEvent) => e.event,
  },
  CancellationTarget: {
    room: (row: SearchRow, _: unknown, ctx: Ctx) => ctx.loaders.room.load(row.roomId),
    cancellation: (row: SearchRow, _: unknown, ctx: Ctx) => (row.cancellationId ? ctx.loaders.cancellation.byId.load(row.cancellationId) : null),
    hasSettlementStatement: (row: SearchRow) => row.settlementStatementId !== null,
    settlementStatement: (row: SearchRow, _: unknown, ctx: Ctx) => (row.settlementStatementId ? ctx.loaders.cancellation.statementById.load(row.settlementStatementId) : null),
  },
  SettlementStatement: {
    pdfUrl: (s: ISettlementStatement, _: unknown, ctx: Ctx) => new SettlementService(ctx).pdfUrl(s),
    timestampTokenUrl: (s: ISettlementStatement, _: unknown, ctx: Ctx) => new SettlementService(ctx).timestampTokenUrl(s),
  },
};

function changePayload(r: Awaited<ReturnType<CancellationService['changeDate']>>) {
  if (!r.ok) return { outcome: null, cancellation: null, userErrors: r.userErrors };
  // 処理エラー: decided at once and refused. The cancellation now shows 変更エラー; the reason is also an error.
  const userErrors = r.outcome === 'REFUSED' ? [cancellationError((r.cancellation.changeErrorCode ?? 'NEXT_LEASE_DECIDED') as CancellationErrorCode, null)] : [];
  return { outcome: r.outcome, cancellation: r.cancellation, userErrors };
}
