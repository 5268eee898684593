import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { AuditEvent, type IAuditEvent } from './audit-event.entity.ts';
import type { AuditAction } from './audit-actions.ts';

export interface AuditSearch {
  actions: AuditAction[] | null;
  /** Events by this account or on it (failed logins against it, changes made to it). */
  accountId: string | null;
  start: Date | null;
  end: Date | null;
}

/** Reads the trail; member scoping comes from the default filter. Newest first, by insertion order. */
export class AuditRepository {
  constructor(private readonly em: EntityManager) {}

  private where(s: AuditSearch, beforeSeq: string | null): FilterQuery<IAuditEvent> {
    const and: Record<string, unknown>[] = [];
    if (s.actions && s.actions.length > 0) and.push({ action: { $in: s.actions } });
    if (s.accountId) and.push({ $or: [{ accountId: s.accountId }, { targetType: 'Account', targetId: s.accountId }] });
    if (s.start) and.push({ at: { $gte: s.start } });
    if (s.end) and.push({ at: { $lt: s.end } });
    if (beforeSeq) and.push({ seq: { $lt: beforeSeq } });
    return (and.length ? { $and: and } : {}) as FilterQuery<IAuditEvent>;
  }

  async page(s: AuditSearch, first: number, beforeSeq: string | null): Promise<{ rows: IAuditEvent[]; hasNextPage: boolean }> {
    const rows = await this.em.find(AuditEvent, this.where(s, beforeSeq), { orderBy: { seq: 'desc' }, limit: first + 1 });
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(s: AuditSearch): Promise<number> {
    return this.em.count(AuditEvent, this.where(s, null));
  }

  /** Up to `limit` matching events, newest first (the export). */
  all(s: AuditSearch, limit: number): Promise<IAuditEvent[]> {
    return this.em.find(AuditEvent, this.where(s, null), { orderBy: { seq: 'desc' }, limit });
  }
}
