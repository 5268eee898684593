import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';
import type { RateTotal, SettlementLine } from './settlement.rule.ts';

/** A mid-term cancellation (中途解約, 退室通知) of a room by its member, with its pending change/withdrawal. */
export const Cancellation = defineEntity({
  name: 'Cancellation',
  tableName: 'cancellation',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    roomId: p.uuid(),
    leaseId: p.uuid(),
    status: p.string(),
    cancellationDate: p.date(),
    originalDate: p.date(),
    reasons: p.array<string>(),
    contactName: p.string(),
    contactPhone: p.string(),
    approvalsRequired: p.integer(),
    requestedBy: p.uuid(),
    requestedByName: p.string(),
    filedAt: p.datetime(),
    submittedAt: p.datetime().nullable(),
    latest: p.boolean(),
    dateChangeCount: p.integer(),
    withdrawalCount: p.integer(),
    witnessConsent: p.boolean(),
    pendingKind: p.string().nullable(),
    pendingDate: p.date().nullable(),
    pendingAtWitnessRequest: p.boolean().nullable(),
    pendingConsent: p.boolean().nullable(),
    pendingRequestedAt: p.datetime().nullable(),
    pendingRequestedBy: p.uuid().nullable(),
    decideAfter: p.datetime().nullable(),
    changeErrorCode: p.string().nullable(),
    changeErrorAt: p.datetime().nullable(),
    nextLeaseDecidedAt: p.datetime().nullable(),
    movedOutOn: p.date().nullable(),
    deniedBy: p.uuid().nullable(),
    deniedByName: p.string().nullable(),
    deniedAt: p.datetime().nullable(),
    denialReason: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type ICancellation = InferEntity<typeof Cancellation>;

/** One account's approval or denial of a cancellation awaiting approval (承認・否認). */
export const CancellationApproval = defineEntity({
  name: 'CancellationApproval',
  tableName: 'cancellation_approval',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    cancellationId: p.uuid(),
    accountId: p.uuid(),
    accountName: p.string(),
    decision: p.string(),
    reason: p.string().nullable(),
    decidedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type ICancellationApproval = InferEntity<typeof CancellationApproval>;

/** One step in a cancellation's history (filed, approved, change requested, decided, moved out …). */
export const CancellationHistoryEvent = defineEntity({
  name: 'CancellationHistoryEvent',
  tableName: 'cancellation_event',
  properties: (p) => ({
    id: p.uuid().primary(),
    seq: p.bigint('string').persist(false),
    memberId: p.uuid(),
    cancellationId: p.uuid(),
    at: p.datetime(),
    event: p.string(),
    fromStatus: p.string().nullable(),
    toStatus: p.string(),
    actorType: p.string(),
    actorId: p.uuid().nullable(),
    actorName: p.string().nullable(),
    details: p.json<Record<string, unknown>>(),
  }),
  filters: memberFilter,
});
export type ICancellationHistoryEvent = InferEntity<typeof CancellationHistoryEvent>;

/** A settlement statement (解約清算明細書) published by the operator after move-out; its PDF is rendered once, at publication. */
export const SettlementStatement = defineEntity({
  name: 'SettlementStatement',
  tableName: 'settlement_statement',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    cancellationId: p.uuid(),
    roomId: p.uuid(),
    statementNumber: p.string(),
    issuedOn: p.date(),
    issuerName: p.string(),
    issuerRegistrationNumber: p.string(),
    lines: p.json<SettlementLine[]>(),
    taxBreakdown: p.json<RateTotal[]>(),
    subtotal: p.integer(),
    totalTax: p.integer(),
    totalAmount: p.integer(),
    note: p.string().nullable(),
    fileKey: p.string(),
    /** The RFC 3161 token of the PDF (`<fileKey>.tsr`), its time and the PDF's SHA-256 (hex); null on statements published before stamping. */
    timestampTokenKey: p.string().nullable(),
    timestampGenTime: p.datetime().nullable(),
    documentSha256: p.string().nullable(),
    publishedBy: p.uuid(),
    publishedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type ISettlementStatement = InferEntity<typeof SettlementStatement>;
