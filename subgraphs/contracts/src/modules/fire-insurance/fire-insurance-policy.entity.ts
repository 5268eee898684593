import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { memberFilter } from '../member-filter.ts';

export const COVERAGE_KINDS = ['BLANKET', 'PER_ROOM'] as const;
export const REGISTRATION_KINDS = ['NEW', 'RENEWAL', 'MODIFIED', 'CANCELLED_MIDTERM'] as const;

/** A fire insurance policy the member took out itself (自社加入の火災保険): blanket (包括, no room) or for one room. */
export const FireInsurancePolicy = defineEntity({
  name: 'FireInsurancePolicy',
  tableName: 'fire_insurance_policy',
  properties: (p) => ({
    id: p.uuid().primary(),
    memberId: p.uuid(),
    roomId: p.uuid().nullable(),
    coverageKind: p.enum(COVERAGE_KINDS),
    insurer: p.text(),
    insurerOtherName: p.text().nullable(),
    policyNumber: p.string().length(40),
    startDate: p.date(),
    endDate: p.date(),
    premium: p.integer(),
    coverageBasic: p.integer().nullable(),
    coverageTenantLiability: p.integer().nullable(),
    coveragePersonalLiability: p.integer().nullable(),
    coverageRepairCosts: p.integer().nullable(),
    coverageOther: p.integer().nullable(),
    registrationKind: p.enum(REGISTRATION_KINDS),
    // The stored file's key; only a signed download link ever leaves the subgraph.
    certificateFileKey: p.text().nullable().hidden(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  }),
  filters: memberFilter,
});
export type IFireInsurancePolicy = InferEntity<typeof FireInsurancePolicy>;
