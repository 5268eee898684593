import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '@portal/platform';
import type { DownloadAuditEntry } from '@portal/subgraph-kit';
import { recordAudit } from './audit.ts';

/**
 * Records each use of one of tenancy's download links in the trail of the member it was issued to.
 * The subgraph kit builds the entry and runs this in that member's scope and a transaction.
 */
export function writeDownloadAudit(em: EntityManager, entry: DownloadAuditEntry, clock: Clock): Promise<void> {
  return recordAudit(em, { clock, identity: entry.actor }, { action: entry.action, memberId: entry.memberId, target: entry.target, details: entry.details });
}
