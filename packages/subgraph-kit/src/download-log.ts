import type { Logger } from 'pino';
import type { DownloadCaller, DownloadUse } from '@portal/platform';

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

/** The audit-trail actions for download links (tenancy's `audit_action`; billing relays its own as `audit.recorded`). */
export type DownloadAuditAction = 'FILE_DOWNLOADED' | 'FILE_DOWNLOAD_REFUSED';

/** One use of a download link as an entry of the trail of the member the link was issued to. */
export interface DownloadAuditEntry {
  action: DownloadAuditAction;
  /** The member the link was issued to: the entry goes into its trail. */
  memberId: string;
  /** Who presented it, as the trail shows them; null when nobody vouched (the entry is anonymous). */
  actor: DownloadCaller | null;
  target: { type: 'File'; id: string; label: string };
  details: { status: number; code?: string; otherMembersSession?: true };
}

/**
 * The trail entry for a use of a link, or null when the use names no member (a forged, malformed or
 * expired token shows nothing verified; those stay in the log only). A session of another member is
 * recorded by its address only, as an anonymous actor: its account and login ID are that member's
 * business, not this member's (the log line has them for the operator).
 */
export function downloadAuditEntry(use: DownloadUse): DownloadAuditEntry | null {
  const memberId = use.payload?.memberId;
  if (!use.payload || !memberId) return null;
  const caller = use.caller;
  const foreign = caller?.kind === 'member' && caller.memberId !== memberId;
  return {
    action: use.outcome === 'served' ? 'FILE_DOWNLOADED' : 'FILE_DOWNLOAD_REFUSED',
    memberId,
    actor: caller && foreign ? { ...caller, kind: 'anonymous', accountId: null, memberId: null } : caller,
    target: { type: 'File', id: use.payload.key, label: use.payload.filename },
    details: { status: use.status, ...(use.code ? { code: use.code } : {}), ...(foreign ? { otherMembersSession: true as const } : {}) },
  };
}
