import type { Logger } from 'pino';
import type { DownloadUse } from '@portal/platform';

/**
 * The download log: one structured line per use of a download link (who, which file, which member
 * it was issued to, from where, served or refused). Refusals are warnings: a member's session
 * presenting another member's link is a leaked link or a probe.
 */
export function logDownload(log: Logger, use: DownloadUse): void {
  const caller = use.caller;
  const entry = {
    event: 'file.download',
    outcome: use.outcome,
    status: use.status,
    code: use.code,
    fileKey: use.payload?.key,
    filename: use.payload?.filename,
    linkMemberId: use.payload?.memberId ?? null,
    callerKind: caller?.kind ?? 'unknown',
    accountId: caller?.accountId ?? null,
    memberId: caller?.memberId ?? null,
    clientIp: caller?.clientIp ?? null,
    requestId: caller?.requestId ?? null,
  };
  if (use.outcome === 'served') log.info(entry, 'download link used');
  else log.warn(entry, 'download link refused');
}
