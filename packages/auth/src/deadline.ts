/**
 * Header carrying the absolute time (epoch milliseconds) at which the gateway gives up on a
 * subgraph call. The subgraph stops the request's work there (subgraph-kit request-scope.ts).
 */
export const DEADLINE_HEADER = 'x-portal-deadline';

/**
 * The deadline a subgraph enforces: the gateway's header, bounded by the signed identity's expiry.
 * The header itself is not signed; only the gateway reaches a subgraph with a valid identity, and
 * whatever it says can only shorten the work, never extend it past the identity's lifetime. A
 * missing or malformed header falls back to that expiry.
 */
export function requestDeadline(header: string | undefined, identityExpiresAt: number): number {
  const claimed = header && /^\d{1,16}$/.test(header) ? Number(header) : Number.POSITIVE_INFINITY;
  return Math.min(claimed, identityExpiresAt);
}
