import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { runAsMember, type Clock, type DownloadUse } from '@portal/platform';
import { downloadAuditEntry } from '@portal/subgraph-kit';
import { appendAudit } from './audit-outbox.ts';

/**
 * Puts each use of one of billing's download links (invoice documents, statements, CSV) into the
 * audit outbox, relayed to the trail of the member the link was issued to like billing's other entries.
 */
export function recordDownloads({ orm, clock }: { orm: MikroORM; clock: Clock }): (use: DownloadUse) => Promise<void> {
  return async (use) => {
    const entry = downloadAuditEntry(use);
    if (!entry) return;
    const em = orm.em.fork() as EntityManager;
    // A download is no GraphQL request: the entry is written in the scope of the member the link was
    // issued to (row-level security), the one whose trail it belongs to.
    await runAsMember(entry.memberId, () => em.transactional((tx) =>
      appendAudit(tx as EntityManager, { clock, identity: entry.actor }, { action: entry.action, memberId: entry.memberId, target: entry.target, details: entry.details }),
    ));
  };
}
