import { describe, expect, it } from 'vitest';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { Identity } from '@portal/auth';
import { createCostBudgetPlugin, type CostBudgetContext } from '../src/cost-budget-plugin.ts';
import { decide, parseRateLimits, takeTokens, type BucketState } from '../src/rate-limit.ts';
import type { RateLimitStore } from '../src/rate-limit-store.ts';

/** The store's contract on the pure maths, with a clock the test holds still. */
function memoryStore(now: () => number): RateLimitStore {
  const states = new Map<string, BucketState>();
  return {
    async take(buckets, cost) {
      const t = now();
      const result = takeTokens(buckets.map((b) => ({ kind: b.kind, policy: b.policy, state: states.get(b.key) })), cost, t);
      buckets.forEach((b, i) => states.set(b.key, { tokens: result.tokens[i]!, updatedAt: t }));
      return decide(buckets, result, cost);
    },
  };
}

/** Stands in for the cost analysis another change adds: it puts the operation's cost on the context in didResolveOperation. */
const fixedCost = (cost: number): ApolloServerPlugin<CostBudgetContext> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue }) {
        contextValue.operationCost = cost;
      },
    };
  },
});

const identity: Identity = { kind: 'member', accountId: 'acc-1', memberId: 'mem-1', sessionId: 's', scopes: new Set(), clientIp: '192.0.2.1', requestId: 'r' };

async function serverWith(cost: number | undefined) {
  const store = memoryStore(() => 0);
  const limits = parseRateLimits('cost=100/100');
  const server = new ApolloServer<CostBudgetContext>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
    plugins: [...(cost === undefined ? [] : [fixedCost(cost)]), createCostBudgetPlugin(store, limits)],
  });
  await server.start();
  const run = async () => {
    const r = await server.executeOperation({ query: '{ hello }' }, { contextValue: { identity } });
    return { status: r.http.status, retryAfter: r.http.headers.get('retry-after'), rateLimit: r.http.headers.get('ratelimit'), body: r.body.kind === 'single' ? r.body.singleResult : null };
  };
  return { run, stop: () => server.stop() };
}

describe('cost budget plugin', () => {
  it("charges the cost analysis's figure and refuses with RATE_LIMITED, the cost and Retry-After once the budget is spent", async () => {
    const s = await serverWith(40);
    const first = await s.run();
    expect(first.body?.data).toEqual({ hello: 'world' });
    expect(first.rateLimit).toBe('"cost";r=60;t=40');
    expect((await s.run()).body?.errors).toBeUndefined();
    const refused = await s.run();
    expect(refused.status).toBe(429);
    expect(refused.body?.data).toBeUndefined();
    expect(refused.body?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost', cost: 40, retryAfter: 20 });
    expect(refused.retryAfter).toBe('20');
    await s.stop();
  });

  it('an operation costing more than the whole budget is refused without a Retry-After (it would never pass)', async () => {
    const s = await serverWith(101);
    const refused = await s.run();
    expect(refused.status).toBe(429);
    expect(refused.body?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: 101, retryAfter: null });
    expect(refused.body?.errors?.[0]?.message).toMatch(/costs 101.*コスト/);
    expect(refused.retryAfter).toBeUndefined();
    await s.stop();
  });

  it('without a cost analysis every operation costs 1', async () => {
    const s = await serverWith(undefined);
    expect((await s.run()).rateLimit).toBe('"cost";r=99;t=1');
    await s.stop();
  });
});
