/**
 * Graceful stop for a server process: on SIGTERM or SIGINT, `stop()` (drain the HTTP server, see
 * http-drain.ts, then jobs and pools) and exit 0; a stop that hangs is cut off after `graceMs` with
 * exit 1, so `graceMs` must exceed the drain timeout. A normal exit also lets `node --cpu-prof`
 * write its profile, which the bench uses.
 */
export function stopOnSignal(stop: () => Promise<void>, log: { error(obj: unknown, msg: string): void } = console, graceMs = 10_000): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      log.error({ graceMs }, 'graceful stop took too long; exiting');
      process.exit(1);
    }, graceMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'graceful stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
