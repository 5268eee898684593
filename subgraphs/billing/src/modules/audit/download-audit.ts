import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '@portal/platform';
import type { DownloadAuditEntry } from '@portal/subgraph-kit';
import { appendAudit } from './audit-outbox.ts';

/**
 * Puts each use of one of billing's download links (invoice documents, statements, CSV) into the
 * audit outbox, relayed to the trail of the member the link was issued to like billing's other entries.
 * The subgraph kit builds the entry and runs this in that member's scope and a transaction.
 */
export function writeDownloadAudit(em: EntityManager, entry: DownloadAuditEntry, clock: Clock): Promise<void> {
  return appendAudit(em, { clock, identity: entry.actor }, { action: entry.action, memberId: entry.memberId, target: entry.target, details: entry.details });
}
