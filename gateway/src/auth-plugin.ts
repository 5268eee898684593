import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { collectRequirements, evaluate, violationError, type GuardedPath, type RequirementIndex } from '@portal/auth';
import type { GatewayContext } from './context.ts';

/** Marks the plugin so start-up can prove enforcement is installed before serving. */
export const AUTH_PLUGIN_MARK = Symbol.for('portal.gateway.auth-plugin');

const CACHE_LIMIT = 2000;

/**
 * Rejects, before any subgraph is called, an operation selecting a field the caller may not use.
 * What an operation needs depends only on the document, so it is computed once per document and
 * operation name (bounded cache) and then checked against each caller's scopes.
 */
export function createAuthPlugin(index: RequirementIndex): ApolloServerPlugin<GatewayContext> & { [AUTH_PLUGIN_MARK]: true } {
  const cache = new Map<string, GuardedPath[]>();
  let cachedSchema: GraphQLSchema | undefined;
  return {
    [AUTH_PLUGIN_MARK]: true,
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue, schema, source, operationName }) {
          if (!operation) return;
          if (schema !== cachedSchema) {
            cache.clear();
            cachedSchema = schema;
          }
          const key = `${operationName ?? ''}\u0000${source ?? ''}`;
          let guarded = source ? cache.get(key) : undefined;
          if (!guarded) {
            guarded = collectRequirements(schema, index, document, operation);
            if (source) {
              if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
              cache.set(key, guarded);
            }
          }
          const identity = contextValue.identity;
          const authenticated = identity.kind !== 'anonymous';
          const violations = evaluate(guarded, authenticated, identity.scopes);
          if (violations.length > 0) {
            const error = violationError(violations, authenticated);
            throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 200 } } });
          }
        },
      };
    },
  };
}
