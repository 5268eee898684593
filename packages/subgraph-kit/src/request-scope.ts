import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';

/**
 * Work that outlives its request: when the gateway gives up on a call (its deadline passes, or it
 * closes the connection), the subgraph stops that request's work instead of finishing it for
 * nobody. The request runs in a scope with an AbortSignal that fires at the deadline or when the
 * client connection closes; the ORM checks it before every statement (orm.ts `onQuery`), so the
 * next SQL of an abandoned request throws DEADLINE_EXCEEDED, and inside `em.transactional` that
 * rolls the transaction back. The request's EntityManager also carries the signal with MikroORM's
 * `cancel query` strategy, so a statement already running is cancelled on the server
 * (`pg_cancel_backend`) rather than left to finish.
 */
export class DeadlineExceededError extends GraphQLError {
  constructor(readonly reason: 'deadline' | 'client-closed') {
    super(
      reason === 'deadline'
        ? 'The request ran past its deadline and was stopped; nothing was saved. 処理が時間内に終わらなかったため中止しました（保存されていません）。'
        : 'The caller closed the connection; the request was stopped and nothing was saved. 接続が切断されたため処理を中止しました（保存されていません）。',
      { extensions: { code: 'DEADLINE_EXCEEDED', rule: reason } },
    );
  }
}

const scopes = new AsyncLocalStorage<AbortSignal>();

export interface RequestScope {
  readonly signal: AbortSignal;
  /** Runs the request's work inside the scope. */
  run<T>(fn: () => T): T;
  /** Ends the scope's timer and listener once the answer is written. */
  dispose(): void;
}

/** Opens the scope of one request that must stop at `deadline` (epoch ms) or when `res` closes unanswered. */
export function openRequestScope(res: ServerResponse, deadline: number, now: number = Date.now()): RequestScope {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError('deadline')), Math.min(Math.max(0, deadline - now), 2 ** 31 - 1));
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new DeadlineExceededError('client-closed'));
  };
  res.once('close', onClose);
  return {
    signal: controller.signal,
    run: (fn) => scopes.run(controller.signal, fn),
    dispose() {
      clearTimeout(timer);
      res.off('close', onClose);
    },
  };
}

/** Throws DEADLINE_EXCEEDED when the current request has been abandoned; a no-op outside requests (jobs, boot). */
export function assertRequestAlive(): void {
  const signal = scopes.getStore();
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DeadlineExceededError('deadline');
}
