import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts SQL statements, in total and per request, so tests and benchmarks can prove that a
 * request's statement count does not grow with the rows it returns.
 */
export class SqlMetrics {
  total = 0;
  readonly #request = new AsyncLocalStorage<{ count: number }>();

  /** Called by the ORM's `onQuery` hook for every statement. */
  record(): void {
    this.total++;
    const current = this.#request.getStore();
    if (current) current.count++;
  }

  /** Runs `fn` with a per-request counter; `counter.count` is readable afterwards. */
  run<T>(fn: () => T): { counter: { count: number }; result: T } {
    const counter = { count: 0 };
    const result = this.#request.run(counter, fn);
    return { counter, result };
  }
}
