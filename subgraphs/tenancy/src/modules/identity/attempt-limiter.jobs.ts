import type { MikroORM } from '@mikro-orm/postgresql';
import { fromMikroOrm, type JobQueue } from '@portal/platform';
import { WINDOW_MS } from '@portal/subgraph-kit';
import { attemptLimiter } from './attempt-limiter.ts';

export const PRUNE_ATTEMPTS_QUEUE = 'attempt-counter-prune';
const PRUNE_CRON = '17 * * * *';

/**
 * Hourly, deletes attempt counters whose window ended over an hour ago: they count as zero
 * already, and every address and typed login ID leaves a row, so the table would only grow.
 */
export async function registerAttemptLimiterJobs(deps: { orm: MikroORM; services: { jobs: JobQueue } }): Promise<void> {
  const { orm, services } = deps;
  await services.jobs.work(PRUNE_ATTEMPTS_QUEUE, async () => {
    await attemptLimiter.prune(fromMikroOrm(orm.em.fork()), WINDOW_MS + 60 * 60 * 1000);
  }, { pollingIntervalSeconds: 60 });
  await services.jobs.schedule(PRUNE_ATTEMPTS_QUEUE, PRUNE_CRON);
}
