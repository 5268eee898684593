import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import pino from 'pino';
import { loadEnv } from '@portal/config';
import { stopOnSignal } from '@portal/platform';
import { gatewayEnvShape } from './env.ts';
import { startGateway } from './gateway.ts';

/**
 * One gateway process, or with PORTAL_GATEWAY_WORKERS > 1 (or `auto`: one per core) a primary that
 * only supervises workers sharing the port (node:cluster); each worker is a complete gateway with
 * its own session pool, auth check and identity signing.
 */
const env = loadEnv('gateway', gatewayEnvShape, process.env);
const workers = env.PORTAL_GATEWAY_WORKERS === 'auto' ? availableParallelism() : env.PORTAL_GATEWAY_WORKERS;

if (workers > 1 && cluster.isPrimary) {
  const log = pino({ name: 'gateway', level: process.env.PORTAL_LOG_LEVEL ?? 'info' });
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.error({ pid: worker.process.pid, code, signal }, 'gateway worker exited; starting another');
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    // Each worker drains its own requests; wait for the slowest, never longer than its own grace.
    setTimeout(() => process.exit(0), env.PORTAL_DRAIN_TIMEOUT_MS + 6_000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log.info({ workers }, 'gateway primary started its workers');
} else {
  const gateway = await startGateway();
  stopOnSignal(gateway.stop, console, gateway.stopGraceMs);
}
