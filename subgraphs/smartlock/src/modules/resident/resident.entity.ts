import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

export const GENDERS = ['MALE', 'FEMALE'] as const;
export const RELATIONS = ['EMPLOYEE', 'OTHER'] as const;
export const NATIONALITIES = ['JAPAN', 'OTHER'] as const;

/**
 * A resident (入居者) of a room: slot 1 (入居者1, who receives the move-in guide and, without a
 * recipient, the smartlock key) or slot 2 (入居者2). `roomId` is tenancy's room id (no foreign key
 * across schemas). Only name and kana are required: rows registered by the resident through a
 * request (登録依頼) or a CSV may arrive with the rest still empty.
 */
export const Resident = defineEntity({
  name: 'Resident',
  tableName: 'resident',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    roomId: p.uuid(),
    slot: p.smallint(),
    name: p.string(),
    kana: p.string(),
    phone: p.string().nullable(),
    email: p.string().nullable(),
    gender: p.enum(GENDERS).nullable(),
    relation: p.enum(RELATIONS).nullable(),
    birthDate: p.date().nullable(),
    nationality: p.enum(NATIONALITIES).nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IResident = InferEntity<typeof Resident>;
