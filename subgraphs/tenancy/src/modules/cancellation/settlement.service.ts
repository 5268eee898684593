import { randomUUID } from 'node:crypto';
import { zipFiles } from '@portal/documents';
import { formatJstDate } from '@portal/documents';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import type { TenancyLoaders } from '../../loaders.ts';
import { SettlementStatement, type ISettlementStatement } from './cancellation.entity.ts';
import { cancellationError } from './cancellation.errors.ts';
import { auditCancellation } from './cancellation-audit.ts';

type Ctx = SubgraphContext<TenancyLoaders>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_ZIP_STATEMENTS = 100;
/** Download links live five minutes: enough to click, short enough that a leaked link soon dies. */
const LINK_TTL_SECONDS = 300;

/** Reading settlement statements: one PDF through a signed link, or several at once as a ZIP. */
export class SettlementService {
  constructor(private readonly ctx: Ctx) {}

  private async fileName(s: ISettlementStatement): Promise<string> {
    const view = await this.ctx.loaders.cancellation.room.load(s.roomId);
    const room = view ? `${view.room.property.apNo}_${view.room.property.name}_${view.room.roomNumber}` : s.roomId;
    return `解約清算明細書_${room}_${s.statementNumber}.pdf`.replace(/[<>:"|?*\\/]/g, '_');
  }

  /** The statement's RFC 3161 token (DER, `.tsr`), for `openssl ts -verify` or billing's `verifyTimestamp`; null when published unstamped. */
  async timestampTokenUrl(s: ISettlementStatement): Promise<string | null> {
    if (!s.timestampTokenKey) return null;
    return this.ctx.services.downloadUrl({ key: s.timestampTokenKey, filename: `${await this.fileName(s)}.tsr`, contentType: 'application/timestamp-reply', ttlSeconds: LINK_TTL_SECONDS, memberId: s.memberId });
  }

  async pdfUrl(s: ISettlementStatement): Promise<string> {
    return this.ctx.services.downloadUrl({ key: s.fileKey, filename: await this.fileName(s), contentType: 'application/pdf', ttlSeconds: LINK_TTL_SECONDS, memberId: s.memberId });
  }

  /** "チェックを入れた解約清算明細書がダウンロードできます": the ticked statements in one ZIP, in the order given. */
  async downloadZip(ids: string[]): Promise<{ ok: true; url: string; filename: string; count: number } | { ok: false; userErrors: UserError[] }> {
    const unique = [...new Set(ids)];
    if (unique.length < 1 || unique.length > MAX_ZIP_STATEMENTS) return { ok: false, userErrors: [cancellationError('TOO_MANY_STATEMENTS', 'input.statementIds')] };
    // Another member's statement is found exactly as often as a non-existent one: never.
    const found = unique.every((id) => UUID.test(id)) ? await this.ctx.em.find(SettlementStatement, { id: { $in: unique } }) : [];
    const byId = new Map(found.map((s) => [s.id, s]));
    const missing = unique.map((id, i) => (byId.has(id) ? null : i)).filter((i): i is number => i !== null);
    if (missing.length) return { ok: false, userErrors: missing.map((i) => cancellationError('STATEMENT_NOT_FOUND', `input.statementIds.${ids.indexOf(unique[i]!)}`)) };
    const statements = unique.map((id) => byId.get(id)!);
    const files = await Promise.all(
      statements.map(async (s) => {
        const bytes = await this.ctx.services.files.get(s.fileKey);
        if (!bytes) throw new Error(`settlement statement ${s.id}: PDF ${s.fileKey} is missing from the file store`);
        return { name: await this.fileName(s), bytes };
      }),
    );
    const now = this.ctx.clock.now();
    const zip = await zipFiles(files, { modifiedAt: now, compress: false });
    const memberId = statements[0]!.memberId;
    const key = `downloads/${memberId}/${randomUUID()}.zip`;
    await this.ctx.services.files.put(key, zip);
    const filename = `解約清算明細書_${formatJstDate(now, { style: 'iso' })}_${statements.length}件.zip`;
    await this.ctx.em.transactional((em) =>
      auditCancellation(em, this.ctx, 'SETTLEMENT_STATEMENTS_DOWNLOADED', { id: statements[0]!.cancellationId, memberId }, { statementNumbers: statements.map((s) => s.statementNumber) }),
    );
    return { ok: true, url: this.ctx.services.downloadUrl({ key, filename, contentType: 'application/zip', ttlSeconds: LINK_TTL_SECONDS, memberId }), filename, count: statements.length };
  }
}
