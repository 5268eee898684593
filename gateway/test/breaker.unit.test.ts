import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { breakerState, createSubgraphBreaker, throughBreaker } from '../src/breaker.ts';

const answer = (status: number, body: unknown = { data: {} }) => async () => new Response(JSON.stringify(body), { status });
const refused = async (): Promise<Response> => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
};
const timedOut = async (): Promise<Response> => {
  throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
};

describe('subgraph circuit breaker', () => {
  it('does not count GraphQL answers with errors (200 or 4xx) as failures', async () => {
    const breaker = createSubgraphBreaker({ failures: 2, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      await throughBreaker(breaker, 'billing', answer(200, { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }));
      await throughBreaker(breaker, 'billing', answer(400, { errors: [{ message: 'bad' }] }));
      await throughBreaker(breaker, 'billing', answer(401, { errors: [{ message: 'identity' }] }));
    }
    expect(breakerState(breaker)).toBe('closed');
  });

  it.each([
    ['5xx answers', answer(503)],
    ['connection errors', refused],
    ['timeouts', timedOut],
  ])('opens after consecutive %s and then refuses without calling', async (_kind, fail) => {
    const breaker = createSubgraphBreaker({ failures: 3, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 3; i++) await throughBreaker(breaker, 'billing', fail).catch(() => undefined);
    expect(breakerState(breaker)).toBe('open');
    let called = false;
    const error = await throughBreaker(breaker, 'billing', async () => {
      called = true;
      return new Response('{}');
    }).catch((e: unknown) => e);
    expect(called).toBe(false);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'billing', breaker: 'open' });
  });

  it('a success between failures resets the count', async () => {
    const breaker = createSubgraphBreaker({ failures: 3, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 10; i++) {
      await throughBreaker(breaker, 'billing', refused).catch(() => undefined);
      await throughBreaker(breaker, 'billing', refused).catch(() => undefined);
      await throughBreaker(breaker, 'billing', answer(200));
    }
    expect(breakerState(breaker)).toBe('closed');
  });

  it('half-opens after the pause, lets one probe through, and closes when it succeeds (reopens when it fails)', async () => {
    const breaker = createSubgraphBreaker({ failures: 1, halfOpenAfterMs: 50 });
    await throughBreaker(breaker, 'billing', refused).catch(() => undefined);
    expect(breakerState(breaker)).toBe('open');
    await new Promise((r) => setTimeout(r, 80));
    await expect(throughBreaker(breaker, 'billing', refused)).rejects.toThrow('fetch failed');
    expect(breakerState(breaker)).toBe('open');
    await new Promise((r) => setTimeout(r, 80));
    const probe = await throughBreaker(breaker, 'billing', answer(200));
    expect(probe.status).toBe(200);
    expect(breakerState(breaker)).toBe('closed');
  });
});
