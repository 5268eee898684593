import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';
import { VERIFICATION_STATUSES } from './verification-status.rule.ts';

/**
 * A smartlock recipient (Smartlock受取者): a staff member or a shared mailbox of the member that
 * receives rooms' digital keys instead of resident 1. The verification code is hidden and lazy: it
 * is never serialised and only loaded when a code is checked.
 */
export const SmartlockRecipient = defineEntity({
  name: 'SmartlockRecipient',
  tableName: 'smartlock_recipient',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    recipientCode: p.string(),
    nameKanji: p.string(),
    nameKana: p.string(),
    phone: p.string().nullable(),
    email: p.string(),
    verificationCodeHash: p.string().hidden().lazy(),
    verificationStatus: p.enum(VERIFICATION_STATUSES),
    verificationSentAt: p.datetime().nullable(),
    verifiedAt: p.datetime().nullable(),
    failedAttempts: p.smallint(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type ISmartlockRecipient = InferEntity<typeof SmartlockRecipient>;

/** Which recipient holds a room's key (at most one per room). `roomId` is tenancy's room id. */
export const RoomRecipient = defineEntity({
  name: 'RoomRecipient',
  tableName: 'room_recipient',
  properties: (p) => ({
    roomId: p.uuid().primary(),
    memberId: p.uuid(),
    recipient: p.manyToOne(SmartlockRecipient),
    assignedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IRoomRecipient = InferEntity<typeof RoomRecipient>;
