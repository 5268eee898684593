import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

/** A server-side session; the client holds only the token, we keep only its SHA-256. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: (p) => ({
    id: p.uuid().primary(),
    tokenHash: p.type('uint8array').hidden(),
    accountId: p.uuid(),
    memberId: p.uuid(),
    operatorId: p.uuid().nullable(),
    clientIp: p.string(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    expiresAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type ISession = InferEntity<typeof Session>;
