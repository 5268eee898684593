import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts SQL statements, in total and per request, so tests and benchmarks can prove that a
 * request's statement count does not grow with the rows it returns. Also counts the entity
 * representations a router sends (`_entities`), in all and distinct per call, so a benchmark can
 * see whether a gateway sends one per occurrence or one per distinct entity.
 */
export class SqlMetrics {
  total = 0;
  /** Of `total`, the statements run on behalf of a GraphQL request (background jobs excluded). */
  inRequests = 0;
  /** `_entities` requests received. */
  entityCalls = 0;
  /** Representations received over all `_entities` requests. */
  representations = 0;
  /** Of those, distinct within their request. */
  distinctRepresentations = 0;
  readonly #request = new AsyncLocalStorage<{ count: number }>();

  /** Called by the ORM's `onQuery` hook for every statement. */
  record(): void {
    this.total++;
    const current = this.#request.getStore();
    if (current) {
      current.count++;
      this.inRequests++;
    }
  }

  /** Called with each parsed GraphQL request body; counts `variables.representations` when present. */
  recordBody(body: unknown): void {
    const counted = countRepresentations(body);
    if (!counted) return;
    this.entityCalls++;
    this.representations += counted.sent;
    this.distinctRepresentations += counted.distinct;
  }

  /** Runs `fn` with a per-request counter; `counter.count` is readable afterwards. */
  run<T>(fn: () => T): { counter: { count: number }; result: T } {
    const counter = { count: 0 };
    const result = this.#request.run(counter, fn);
    return { counter, result };
  }
}

/** Representations in a GraphQL request body (`variables.representations`), sent and distinct; null when there are none. */
export function countRepresentations(body: unknown): { sent: number; distinct: number } | null {
  const reps = (body as { variables?: { representations?: unknown } } | null | undefined)?.variables?.representations;
  if (!Array.isArray(reps)) return null;
  return { sent: reps.length, distinct: new Set(reps.map(stableKey)).size };
}

/** JSON with object keys sorted, so `{id, __typename}` and `{__typename, id}` are the same entity. */
function stableKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableKey((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
