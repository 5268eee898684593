import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock, JobQueue } from '@portal/platform';
import { Cancellation } from './cancellation.entity.ts';
import { decidePendingRequest, SYSTEM_ACTOR } from './cancellation-lifecycle.ts';
import { DECIDE_QUEUE } from './cancellation.service.ts';
import { auditCancellation } from './cancellation-audit.ts';

/** The 8:00 JST sweep: also catches a request whose own job was lost. */
export const DECIDE_CRON = '0 8 * * *';
const BATCH = 200;

/**
 * Decides every change/withdrawal entered between 20:00 and 8:00 that is due (decide_after <= now):
 * the company's answer after 8:00. Idempotent: each job decides whatever is due, so the per-request
 * job, the 8:00 cron and a rerun all converge. Rows are locked (FOR UPDATE, waiting rather than
 * skipping) so two workers never decide one request twice and a concurrent run sees the result.
 */
export async function decideDuePendingRequests(orm: MikroORM, clock: Clock): Promise<number> {
  let decided = 0;
  for (;;) {
    const now = clock.now();
    const count = await orm.em.fork().transactional(async (em: EntityManager) => {
      // A system job has no member: it reads across members explicitly.
      const due = await em.find(
        Cancellation,
        { status: 'CHANGE_PENDING', decideAfter: { $lte: now } },
        { filters: false, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: [{ decideAfter: 'asc' }, { id: 'asc' }], limit: BATCH },
      );
      for (const c of due) {
        const outcome = decidePendingRequest(em, c, now, SYSTEM_ACTOR);
        await auditCancellation(em, { clock }, 'CANCELLATION_CHANGE_DECIDED', c, { outcome, status: c.status });
      }
      return due.length;
    });
    decided += count;
    if (count < BATCH) return decided;
  }
}

/** The subgraph's `jobs` hook: the decision queue, its worker and the 8:00 JST schedule. */
export async function registerCancellationJobs(deps: { orm: MikroORM; services: { clock: Clock; jobs: JobQueue } }): Promise<void> {
  const { orm, services } = deps;
  // The result only needs to be there after 8:00 ("時間を置いてご確認ください"): a slow poll is enough.
  await services.jobs.work(DECIDE_QUEUE, async () => {
    await decideDuePendingRequests(orm, services.clock);
  }, { pollingIntervalSeconds: 30 });
  await services.jobs.schedule(DECIDE_QUEUE, DECIDE_CRON);
}
