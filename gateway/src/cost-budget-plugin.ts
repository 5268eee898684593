import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Identity } from '@portal/auth';
import { costBucketFor, rateLimitedMessage, rateLimitHeaders, type RateDecision, type RateLimitKind, type RatePolicy } from './rate-limit.ts';
import type { RateLimitStore } from './rate-limit-store.ts';

/** What the plugin reads from the context: the caller and, once the cost analysis is in, the operation's computed cost. */
export interface CostBudgetContext {
  identity: Identity;
  operationCost?: number;
}

/**
 * Charges an operation's computed cost to its caller's cost budget (a second token bucket per
 * account, per address without a session) before any subgraph is called; over budget it is refused
 * with RATE_LIMITED, HTTP 429, Retry-After and `extensions.cost`. Answers carry the budget in the
 * RateLimit headers beside the request buckets.
 *
 * The cost comes from `contextValue.operationCost`, which the limits plugin (limits-plugin.ts) sets
 * synchronously in its own `didResolveOperation`. List this plugin after it: Apollo starts the
 * plugins' `didResolveOperation` hooks in list order.
 */
export function createCostBudgetPlugin(store: RateLimitStore, limits: Readonly<Record<RateLimitKind, RatePolicy | null>>): ApolloServerPlugin<CostBudgetContext> {
  return {
    async requestDidStart() {
      let decision: RateDecision | undefined;
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (!operation) return;
          const bucket = costBucketFor(contextValue.identity, limits);
          if (!bucket) return;
          const cost = Math.max(0, contextValue.operationCost ?? 1);
          decision = await store.take([bucket], cost);
          if (!decision.allowed) throw rateLimitedError(decision);
        },
        async willSendResponse({ response }) {
          // The refusal's headers travel in the error's `http` extension; an answer gets them here.
          if (!decision?.allowed) return;
          for (const [name, value] of Object.entries(rateLimitHeaders(decision))) response.http.headers.set(name, value);
        },
      };
    },
  };
}

/** The GraphQL error for a refused request or operation: RATE_LIMITED with the limit named and, for the budget, the cost. */
export function rateLimitedError(decision: RateDecision): GraphQLError {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) headers.set(name, value);
  return new GraphQLError(rateLimitedMessage(decision), {
    extensions: {
      code: 'RATE_LIMITED',
      limit: decision.refusedBy,
      retryAfter: decision.retryAfterSeconds,
      cost: decision.cost,
      // Apollo Server wants a HeaderMap here; graphql-yoga (a benchmark peer in the tree) augments the
      // extensions' type globally with plain-object headers, hence the cast.
      http: { status: 429, headers: headers as unknown as Record<string, string> },
    },
  });
}
