import { GraphQLError } from 'graphql';
import { jstDateOf, type JstDate } from '@portal/platform';
import { existing, idempotent, type SubgraphContext, type UserError } from '@portal/subgraph-kit';
import type { TenancyLoaders } from '../../loaders.ts';
import type { ICancellation } from './cancellation.entity.ts';
import { CANCELLATION_ERRORS, cancellationError, type CancellationErrorCode } from './cancellation.errors.ts';
import { CancellationService } from './cancellation.service.ts';
import { CancellationOperatorService, type OperatorCursor } from './cancellation-operator.service.ts';
import { SettlementService } from './settlement.service.ts';
import { decodeSearchCursor, encodeSearchCursor } from './cancellation-search.repository.ts';
import { STATUS_LABELS, type CancellationStatus } from './cancellation-status.rule.ts';
import { requestBlockers, type ChangeableState } from './cancellation-change.rule.ts';
import { penaltyWarning, type PenaltyWarning } from './cancellation-date.rule.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

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

const payload = <T extends object, P extends object, E extends object>(r: ({ ok: true } & T) | { ok: false; userErrors: UserError[] }, shape: (ok: T) => P, empty: E) =>
  r.ok ? { ...shape(r), userErrors: [] as UserError[] } : { ...empty, userErrors: r.userErrors };

/** The cancelled room with its property and member number (a cancellation's room is a foreign key). */
const cancelledRoom = async (c: ICancellation, ctx: Ctx) => existing(await ctx.loaders.cancellation.room.load(c.roomId), `room ${c.roomId} of cancellation ${c.id}`);

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

export const cancellationResolvers: Resolvers = {
  Query: {
    async cancellationTargets(_, args, ctx) {
      const first = pageSize(args.first);
      const after = args.after ? decodeSearchCursor(args.after) : null;
      if (args.after && !after) throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
      const { rows, hasNextPage, totalCount } = await new CancellationService(ctx).search(args.filter ?? {}, first, after);
      const edges = rows.map((node) => ({ node, cursor: encodeSearchCursor({ apNo: node.apNo, roomNumber: node.roomNumber, roomId: node.roomId }) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    cancellation: (_, args, ctx) => new CancellationService(ctx).byId(args.id),
    cancellationPreview: (_, args, ctx) =>
      new CancellationService(ctx).preview(args.input).then((p) => ({ ...p, penalty: penaltyView(p.penalty) })),
    cancellationsAwaitingMyApproval: (_, __, ctx) => new CancellationService(ctx).awaitingMyApproval(),
    async operatorCancellations(_, args, ctx) {
      const first = pageSize(args.first);
      const { rows, hasNextPage, totalCount } = await new CancellationOperatorService(ctx).list(args.filter ?? null, first, args.after ? decodeOperatorCursor(args.after) : null);
      rows.forEach((c) => ctx.loaders.cancellation.byId.prime(c.id, c));
      const edges = rows.map((node) => ({ node, cursor: encodeOperatorCursor(node) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
  Mutation: {
    fileCancellation: idempotent({ cancellation: null, penalty: null }, async (args, ctx) =>
      payload(await new CancellationService(ctx).file(args.input), (r) => ({ cancellation: r.cancellation, penalty: penaltyView(r.penalty) }), { cancellation: null, penalty: null })),
    approveCancellation: idempotent({ cancellation: null }, async (args, ctx) =>
      payload(await new CancellationService(ctx).approve(args.input.cancellationId), (r) => ({ cancellation: r.cancellation }), { cancellation: null })),
    denyCancellation: idempotent({ cancellation: null }, async (args, ctx) =>
      payload(await new CancellationService(ctx).deny(args.input.cancellationId, args.input.reason), (r) => ({ cancellation: r.cancellation }), { cancellation: null })),
    changeCancellationDate: idempotent({ outcome: null, cancellation: null }, async (args, ctx) =>
      changePayload(await new CancellationService(ctx).changeDate(args.input))),
    withdrawCancellation: idempotent({ outcome: null, cancellation: null }, async (args, ctx) =>
      changePayload(await new CancellationService(ctx).withdraw(args.input))),
    downloadSettlementStatements: idempotent({ url: null, filename: null, count: 0 }, async (args, ctx) =>
      payload(await new SettlementService(ctx).downloadZip(args.input.statementIds), (r) => ({ url: r.url, filename: r.filename, count: r.count }), { url: null, filename: null, count: 0 })),
    operatorMarkNextLeaseDecided: async (_, args, ctx) =>
      payload(await new CancellationOperatorService(ctx).markNextLeaseDecided(args.input.cancellationId, args.input.decided), (r) => ({ cancellation: r.cancellation }), { cancellation: null }),
    operatorRecordMoveOut: idempotent({ cancellation: null }, async (args, ctx) =>
      payload(await new CancellationOperatorService(ctx).recordMoveOut(args.input.cancellationId, args.input.movedOutOn ?? null), (r) => ({ cancellation: r.cancellation }), { cancellation: null })),
    operatorPublishSettlementStatement: idempotent({ settlementStatement: null }, async (args, ctx) =>
      payload(await new CancellationOperatorService(ctx).publishSettlement(args.input), (r) => ({ settlementStatement: r.statement }), { settlementStatement: null })),
  },
  Cancellation: {
    statusLabel: (c) => STATUS_LABELS[c.status as CancellationStatus].ja,
    room: async (c, _, ctx) => (await cancelledRoom(c, ctx)).room,
    apNo: async (c, _, ctx) => (await cancelledRoom(c, ctx)).room.property.apNo,
    propertyName: async (c, _, ctx) => (await cancelledRoom(c, ctx)).room.property.name,
    roomNumber: async (c, _, ctx) => (await cancelledRoom(c, ctx)).room.roomNumber,
    prefecture: async (c, _, ctx) => (await cancelledRoom(c, ctx)).room.property.prefecture,
    city: async (c, _, ctx) => (await cancelledRoom(c, ctx)).room.property.city,
    memberNumber: async (c, _, ctx) => (await cancelledRoom(c, ctx)).memberNumber,
    approvals: (c, _, ctx) => ctx.loaders.cancellation.approvals.load(c.id),
    async approvalsRemaining(c, _, ctx) {
      if (c.status !== 'AWAITING_APPROVAL') return 0;
      const given = (await ctx.loaders.cancellation.approvals.load(c.id)).filter((a) => a.decision === 'APPROVED').length;
      return Math.max(0, c.approvalsRequired - given);
    },
    requestedByMe: (c, _, ctx) => c.requestedBy === ctx.identity.accountId,
    denial: (c) => (c.deniedAt ? { deniedByName: c.deniedByName ?? '', reason: c.denialReason ?? '', deniedAt: c.deniedAt } : null),
    dateChangeUsed: (c) => c.dateChangeCount > 0,
    withdrawalUsed: (c) => c.withdrawalCount > 0,
    canChangeDate: (c, _, ctx) => requestBlockers(changeState(c), jstDateOf(ctx.clock.now()), 'DATE_CHANGE').length === 0,
    canWithdraw: (c, _, ctx) =>
      c.status === 'AWAITING_APPROVAL' || requestBlockers(changeState(c), jstDateOf(ctx.clock.now()), 'WITHDRAWAL').length === 0,
    pendingRequest: (c) =>
      c.pendingKind
        ? { kind: c.pendingKind, newDate: c.pendingDate ?? null, requestedAt: existing(c.pendingRequestedAt, `requested time of cancellation ${c.id}'s pending request`), decidedAfter: existing(c.decideAfter, `decision time of cancellation ${c.id}'s pending request`) }
        : null,
    changeError: (c) => {
      if (!c.changeErrorCode) return null;
      const code = c.changeErrorCode as CancellationErrorCode;
      const messages = CANCELLATION_ERRORS[code];
      return { code, message: messages.en, messageJa: messages.ja, at: existing(c.changeErrorAt, `time of cancellation ${c.id}'s change error`) };
    },
    nextLeaseDecided: (c) => !!c.nextLeaseDecidedAt,
    async penalty(c, _, ctx) {
      const lease = await ctx.loaders.cancellation.lease.load(c.leaseId);
      return lease ? penaltyView(penaltyWarning(c.cancellationDate as JstDate, { penaltyUntil: (lease.penaltyUntil as JstDate | null) ?? null, penaltyAmount: lease.penaltyAmount ?? null })) : null;
    },
    settlementStatement: (c, _, ctx) => ctx.loaders.cancellation.statementByCancellation.load(c.id),
    history: (c, _, ctx) => ctx.loaders.cancellation.history.load(c.id),
  },
  CancellationApproval: {
    decision: (a) => a.decision,
  },
  CancellationHistoryEntry: {
    event: (e) => e.event,
  },
  CancellationTarget: {
    room: async (row, _, ctx) => existing(await ctx.loaders.room.load(row.roomId), `room ${row.roomId}`),
    cancellation: (row, _, ctx) => (row.cancellationId ? ctx.loaders.cancellation.byId.load(row.cancellationId) : null),
    hasSettlementStatement: (row) => row.settlementStatementId !== null,
    settlementStatement: (row, _, ctx) => (row.settlementStatementId ? ctx.loaders.cancellation.statementById.load(row.settlementStatementId) : null),
  },
  SettlementStatement: {
    pdfUrl: (s, _, ctx) => new SettlementService(ctx).pdfUrl(s),
    timestampTokenUrl: (s, _, ctx) => new SettlementService(ctx).timestampTokenUrl(s),
  },
};

function changePayload(r: Awaited<ReturnType<CancellationService['changeDate']>>) {
  if (!r.ok) return { outcome: null, cancellation: null, userErrors: r.userErrors };
  // 処理エラー: decided at once and refused. The cancellation now shows 変更エラー; the reason is also an error.
  const userErrors = r.outcome === 'REFUSED' ? [cancellationError((r.cancellation.changeErrorCode ?? 'NEXT_LEASE_DECIDED') as CancellationErrorCode, null)] : [];
  return { outcome: r.outcome, cancellation: r.cancellation, userErrors };
}
