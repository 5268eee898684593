import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { FireInsurancePolicy, type IFireInsurancePolicy } from './fire-insurance-policy.entity.ts';
import type { CoverageKind } from './rules/policy-status.rule.ts';

export interface PolicyFilter {
  policyNumber?: string | null;
  coverageKind?: CoverageKind | null;
  includeExpired?: boolean | null;
}

/** Keyset position: newest start date first, then id descending. */
export interface PolicyCursor {
  startDate: string;
  id: string;
}

/**
 * Queries on fire insurance policies. Member scoping comes from the default filter, never from here.
 * The date conditions mirror `policyStatusOn` (rules/policy-status.rule.ts): a policy is in force
 * from its start date through its end date inclusive, and a mid-term cancelled one never is.
 */
export class FireInsuranceRepository {
  constructor(private readonly em: EntityManager) {}

  private where(filter: PolicyFilter | null | undefined, today: string): FilterQuery<IFireInsurancePolicy> {
    const f = filter ?? {};
    const where: Record<string, unknown> = {};
    if (f.policyNumber) where.policyNumber = f.policyNumber;
    if (f.coverageKind) where.coverageKind = f.coverageKind;
    // Unticked 「保険中途解約済み・満了済みを含む」: only active and upcoming policies.
    if (!f.includeExpired) {
      where.endDate = { $gte: today };
      where.registrationKind = { $ne: 'CANCELLED_MIDTERM' };
    }
    return where as FilterQuery<IFireInsurancePolicy>;
  }

  async page(filter: PolicyFilter | null | undefined, today: string, first: number, after: PolicyCursor | null): Promise<{ rows: IFireInsurancePolicy[]; hasNextPage: boolean }> {
    const base = this.where(filter, today);
    const where = after
      ? { $and: [base, { $or: [{ startDate: { $lt: after.startDate } }, { startDate: after.startDate, id: { $lt: after.id } }] }] }
      : base;
    const rows = await this.em.find(FireInsurancePolicy, where as FilterQuery<IFireInsurancePolicy>, {
      orderBy: [{ startDate: 'desc' }, { id: 'desc' }],
      limit: first + 1,
    });
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(filter: PolicyFilter | null | undefined, today: string): Promise<number> {
    return this.em.count(FireInsurancePolicy, this.where(filter, today));
  }

  /** Policies in force on `today` that may cover these rooms: theirs and every blanket one, in one statement. */
  inForceForRooms(roomIds: readonly string[], today: string): Promise<IFireInsurancePolicy[]> {
    return this.em.find(FireInsurancePolicy, {
      $or: [{ roomId: { $in: [...roomIds] } }, { roomId: null }],
      startDate: { $lte: today },
      endDate: { $gte: today },
      registrationKind: { $ne: 'CANCELLED_MIDTERM' },
    } as FilterQuery<IFireInsurancePolicy>);
  }
}
