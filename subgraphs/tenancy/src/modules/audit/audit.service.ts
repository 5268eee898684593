import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import { jstDateOf } from '@portal/platform';
import { isUuid } from '../ids.ts';
import type { AuditAction } from './audit-actions.ts';
import { AuditRepository, type AuditSearch } from './audit.repository.ts';
import { auditPeriod } from './audit-period.rule.ts';
import { auditCsv } from './audit-csv.ts';
import { auditError } from './audit.errors.ts';
import { recordAudit } from './audit.ts';
import type { IAuditEvent } from './audit-event.entity.ts';

export interface AuditEventFilter {
  actions?: AuditAction[] | null;
  accountId?: string | null;
  from?: string | null;
  to?: string | null;
}

/** At most this many rows in one CSV export; more asks the user to narrow the search. */
export const EXPORT_MAX_ROWS = 100_000;
/** How long the export's download link stays valid. */
export const EXPORT_LINK_TTL_SECONDS = 300;

const NO_MATCH = '00000000-0000-0000-0000-000000000000';

export type ExportResult =
  | { ok: true; url: string; filename: string; expiresAt: Date; rowCount: number }
  | { ok: false; userErrors: UserError[] };

/** Search and export of the caller's member's audit trail (administrators). */
export class AuditService {
  constructor(private readonly ctx: SubgraphContext) {}

  private search(filter: AuditEventFilter | null | undefined): { ok: true; search: AuditSearch } | { ok: false } {
    const f = filter ?? {};
    const period = auditPeriod(f.from, f.to);
    if (!period.ok) return { ok: false };
    // A malformed account id matches nothing, like an unknown one.
    const accountId = f.accountId ? (isUuid(f.accountId) ? f.accountId : NO_MATCH) : null;
    return { ok: true, search: { actions: f.actions ?? null, accountId, start: period.start, end: period.end } };
  }

  async page(filter: AuditEventFilter | null | undefined, first: number, beforeSeq: string | null): Promise<{ rows: IAuditEvent[]; hasNextPage: boolean; totalCount: number }> {
    const parsed = this.search(filter);
    if (!parsed.ok) throw new GraphQLError('The start date is after the end date. 期間の開始日が終了日より後になっています。', { extensions: { code: 'BAD_USER_INPUT', field: 'filter.from' } });
    const repo = new AuditRepository(this.ctx.em);
    const [{ rows, hasNextPage }, totalCount] = await Promise.all([repo.page(parsed.search, first, beforeSeq), repo.count(parsed.search)]);
    return { rows, hasNextPage, totalCount };
  }

  /**
   * Writes the matching events as a CSV file to the file store and returns a short-lived signed
   * link (through the gateway). The export itself is recorded in the trail.
   */
  async export(filter: AuditEventFilter | null | undefined): Promise<ExportResult> {
    const parsed = this.search(filter);
    if (!parsed.ok) return { ok: false, userErrors: [auditError('INVALID_DATE_RANGE', 'filter.from')] };
    const rows = await new AuditRepository(this.ctx.em).all(parsed.search, EXPORT_MAX_ROWS + 1);
    if (rows.length > EXPORT_MAX_ROWS) return { ok: false, userErrors: [auditError('EXPORT_TOO_LARGE', 'filter')] };
    const memberId = this.ctx.identity.memberId!;
    const key = `audit/${memberId}/${randomUUID()}.csv`;
    await this.ctx.services.files.put(key, auditCsv(rows));
    const now = this.ctx.clock.now();
    const filename = `audit-trail-${jstDateOf(now).replaceAll('-', '')}.csv`;
    await this.ctx.em.transactional(async (em) => {
      await recordAudit(em, this.ctx, { action: 'AUDIT_EXPORTED', details: { filter: filter ?? {}, rowCount: rows.length } });
    });
    const url = this.ctx.services.downloadUrl({ key, filename, contentType: 'text/csv; charset=utf-8', ttlSeconds: EXPORT_LINK_TTL_SECONDS, memberId });
    return { ok: true, url, filename, expiresAt: new Date(now.getTime() + EXPORT_LINK_TTL_SECONDS * 1000), rowCount: rows.length };
  }
}
