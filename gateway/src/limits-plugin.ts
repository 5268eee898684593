import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLSchema, Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { CostIndex } from './cost-index.ts';
import type { GatewayContext } from './context.ts';
import { exceededLimit, limitError, measureDocument, type OperationLimits, type OperationMetrics } from './operation-limits.ts';

const PARSE_CACHE_LIMIT = 1000;

/**
 * Refuses, before graphql's own validation, before planning and before any subgraph call, an
 * operation that exceeds a limit (operation-limits.ts), and puts the computed cost on the context
 * (`operationCost`) for whoever charges it to a budget.
 *
 * It runs at `didResolveSource`, the first hook that has the text (GET, POST and persisted queries
 * alike): graphql's validation rules run in one parallel pass, so a rule of ours could not stop the
 * others from walking a hostile document first. Throwing there ends the request through Apollo
 * Server's error response, which still goes through `formatError` (errors.ts).
 */
export function createLimitsPlugin(limits: OperationLimits, index: CostIndex): ApolloServerPlugin<GatewayContext> {
  // Parsed documents by Apollo's query hash: our parse is the larger part of the work, and is
  // repeated for every request of a popular operation otherwise (Apollo's own document cache is
  // filled only after validation). Bounded; the measurement itself is redone per request because
  // it depends on the variables (`first: $n`).
  const parsed = new Map<string, DocumentNode>();
  const measured = new WeakMap<object, Map<OperationDefinitionNode, OperationMetrics>>();
  return {
    async requestDidStart() {
      return {
        async didResolveSource(ctx) {
          let document = parsed.get(ctx.queryHash);
          if (!document) {
            try {
              document = parse(ctx.source, { maxTokens: limits.tokens });
            } catch (error) {
              if (error instanceof GraphQLError && /tokens\. Parsing aborted/.test(error.message)) throw limitError('tokens', limits.tokens + 1, limits.tokens);
              return; // a syntax error: Apollo's own parse reports it with its usual code
            }
            if (parsed.size >= PARSE_CACHE_LIMIT) parsed.delete(parsed.keys().next().value as string);
            parsed.set(ctx.queryHash, document);
          }
          const all = measureDocument(ctx.schema as GraphQLSchema, index, document, ctx.request.variables ?? {});
          measured.set(ctx.contextValue, all);
          for (const metrics of operationsToCheck(document, all, ctx.request.operationName)) {
            const over = exceededLimit(metrics, limits);
            if (over) throw limitError(over.limit, over.value, over.maximum);
            if (metrics.introspection && ctx.contextValue.identity.kind === 'anonymous') throw introspectionRefused();
          }
        },
        async didResolveOperation(ctx) {
          if (!ctx.operation) return;
          // Measured on our own parse; Apollo's document is another object for the same text.
          const all = measured.get(ctx.contextValue);
          const mine = all && [...all.entries()].find(([op]) => (op.name?.value ?? null) === (ctx.operation!.name?.value ?? null))?.[1];
          ctx.contextValue.operationCost = mine?.cost ?? 0;
          ctx.contextValue.operationMetrics = mine;
        },
      };
    },
  };
}

/** The operation that will run when it can be told; else all of them (none may exceed a limit). */
function operationsToCheck(document: DocumentNode, all: Map<OperationDefinitionNode, OperationMetrics>, operationName: string | undefined): OperationMetrics[] {
  if (operationName) {
    const named = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === operationName);
    if (named) return [all.get(named)!].filter(Boolean);
  }
  return [...all.values()];
}

export function introspectionRefused(): GraphQLError {
  return new GraphQLError('Introspection requires a session: log in first. スキーマの参照にはログインが必要です。', {
    extensions: { code: 'UNAUTHENTICATED', rule: 'introspection', http: { status: 401 } },
  });
}
