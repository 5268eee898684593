import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

export const RESERVATION_STATUSES = ['RESERVED', 'CANCELLED', 'COMPLETED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A time-stamp reservation (タイムスタンプ付与予約) of items of a month's qualified invoice. */
export const TimestampReservation = defineEntity({
  name: 'TimestampReservation',
  tableName: 'timestamp_reservation',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    invoiceId: p.uuid(),
    printNo: p.integer(),
    status: p.enum(RESERVATION_STATUSES),
    requestedByAccountId: p.uuid(),
    requestedAt: p.datetime(),
    cancelledAt: p.datetime().nullable(),
    cancelledByAccountId: p.uuid().nullable(),
    stampedAt: p.datetime().nullable(),
    genTime: p.datetime().nullable(),
    /** Storage keys: internal, never sent to clients (links are signed per request). */
    documentKey: p.string().nullable().hidden(),
    tokenKey: p.string().nullable().hidden(),
    documentSha256: p.string().nullable(),
    itemCount: p.integer(),
    totalAmount: p.integer(),
  }),
  filters: memberFilter,
});
export type ITimestampReservation = InferEntity<typeof TimestampReservation>;
