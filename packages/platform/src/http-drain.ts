import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How long a stopping server lets in-flight requests finish before it cuts their connections. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

export interface DrainResult {
  /** Requests still running when the drain timeout ran out (their connections were cut). */
  cutOff: number;
  elapsedMs: number;
}

export interface DrainingServer {
  /** True from the moment `drain()` is called: readiness answers 503 `draining`. */
  readonly draining: boolean;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /**
   * Stops accepting connections, lets in-flight requests finish (each answered with
   * `Connection: close`), closes idle keep-alive connections as they become idle, and only when
   * `timeoutMs` runs out cuts what is left. Resolves once the listener is closed.
   */
  drain(timeoutMs?: number): Promise<DrainResult>;
}

/**
 * Graceful stop for a node:http server, shared by the gateway and every subgraph (one copy of the
 * order that matters: refuse new connections, finish what runs, close idle sockets, cut last).
 * Call it right after `createServer`, before requests arrive, so it sees every request.
 *
 * Why not `server.close()` + `closeAllConnections()` (what we had): that cuts requests in flight.
 * Why not `server.close()` alone: a keep-alive connection that carried a request stays open until
 * its keep-alive timeout (65 s here), so the listener's close callback would wait that long.
 */
export function drainable(server: Server, defaultTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): DrainingServer {
  const active = new Set<ServerResponse>();
  let draining = false;
  let drained: Promise<DrainResult> | undefined;

  // First listener, so a request's keep-alive is settled before the app's handler can answer it.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    // A request that arrives on a kept-alive connection during the drain is still answered, but
    // its connection ends with it, so the client reconnects to another replica.
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      active.delete(res);
      // The connection that carried it is idle now; close it rather than wait for its keep-alive timeout.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return active.size;
    },
    drain(timeoutMs = defaultTimeoutMs) {
      drained ??= new Promise<DrainResult>((resolve) => {
        const started = Date.now();
        draining = true;
        for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
        let cutOff = 0;
        const timer = setTimeout(() => {
          cutOff = active.size;
          server.closeAllConnections();
        }, timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve({ cutOff, elapsedMs: Date.now() - started });
        });
        server.closeIdleConnections();
      });
      return drained;
    },
  };
}
