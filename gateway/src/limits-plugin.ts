import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { CostIndex } from './cost-index.ts';
import type { GatewayContext } from './context.ts';
import { exceededLimit, limitError, measureDocument, type OperationLimits } from './operation-limits.ts';

/**
 * Refuses, before planning and before any subgraph call, an operation that exceeds a limit
 * (operation-limits.ts), and puts the computed cost on the context (`operationCost`) for whoever
 * charges it to a budget.
 *
 * Where: `didResolveOperation`, the hook Apollo Server documents for refusing an operation (an
 * error thrown from an earlier hook becomes a bare "Internal server error"). Before it, Apollo
 * Server has parsed the document with the same token limit (`parseOptions.maxTokens`) and run
 * graphql's own validation rules, which are bounded by that limit (measured: 30 doubling fragments
 * validate in ~2 ms, 1,000 aliases in ~14 ms; 1,600 repeats of one field, quadratic in graphql-js's
 * OverlappingFieldsCanBeMerged, ~60 ms — hence the 2,000-token default).
 */
export function createLimitsPlugin(limits: OperationLimits, index: CostIndex): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          if (!ctx.operation) return;
          const metrics = measureDocument(ctx.schema, index, ctx.document, ctx.request.variables ?? {}).get(ctx.operation);
          if (!metrics) return;
          ctx.contextValue.operationCost = metrics.cost;
          ctx.contextValue.operationMetrics = metrics;
          const over = exceededLimit(metrics, limits);
          if (over) throw limitError(over.limit, over.value, over.maximum);
          if (metrics.introspection && ctx.contextValue.identity.kind === 'anonymous') throw introspectionRefused();
        },
      };
    },
  };
}

export function introspectionRefused(): GraphQLError {
  return new GraphQLError('Introspection requires a session: log in first. スキーマの参照にはログインが必要です。', {
    extensions: { code: 'UNAUTHENTICATED', rule: 'introspection', http: { status: 401 } },
  });
}

/**
 * graphql's parser stops at `maxTokens` with a syntax error; the client is told which limit it hit,
 * like every other limit. The parser stops at the first token over, so the value is "more than".
 */
export function tokenLimitRefusal(formatted: GraphQLFormattedError, maxTokens: number): GraphQLFormattedError | null {
  if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED' || !/tokens\. Parsing aborted/.test(formatted.message)) return null;
  const error = limitError('tokens', maxTokens + 1, maxTokens);
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { message: error.message, extensions };
}
