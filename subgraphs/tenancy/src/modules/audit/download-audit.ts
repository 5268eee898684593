import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { runAsMember, type Clock, type DownloadUse } from '@portal/platform';
import { downloadAuditEntry } from '@portal/subgraph-kit';
import { recordAudit } from './audit.ts';

/** Records each use of one of tenancy's download links in the trail of the member it was issued to. */
export function recordDownloads({ orm, clock }: { orm: MikroORM; clock: Clock }): (use: DownloadUse) => Promise<void> {
  return async (use) => {
    const entry = downloadAuditEntry(use);
    if (!entry) return;
    const em = orm.em.fork() as EntityManager;
    // A download is no GraphQL request: the entry is written in the scope of the member the link was
    // issued to (row-level security), the one whose trail it belongs to.
    await runAsMember(entry.memberId, () => em.transactional((tx) =>
      recordAudit(tx as EntityManager, { clock, identity: entry.actor }, { action: entry.action, memberId: entry.memberId, target: entry.target, details: entry.details }),
    ));
  };
}
