import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { Approver, type IApprover } from './approver.entity.ts';

/** Keyset position: newest first (created_at, then id, both descending). */
export interface ApproverCursor {
  createdAt: Date;
  id: string;
}

/** Queries on approvers; member scoping comes from the default filter. */
export class ApproverRepository {
  constructor(private readonly em: EntityManager) {}

  async page(first: number, after: ApproverCursor | null): Promise<{ rows: IApprover[]; hasNextPage: boolean }> {
    const where = after ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] } : {};
    const rows = await this.em.find(Approver, where as FilterQuery<IApprover>, {
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      limit: first + 1,
    });
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(): Promise<number> {
    return this.em.count(Approver, {});
  }
}
