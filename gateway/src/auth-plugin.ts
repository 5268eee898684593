import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { collectRequirements, evaluate, violationError, type GuardedPath, type RequirementIndex } from '@portal/auth';
import type { GatewayContext } from './context.ts';

/** Marks the plugin so start-up can prove enforcement is installed before serving. */
export const AUTH_PLUGIN_MARK = Symbol.for('portal.gateway.auth-plugin');

/**
 * Rejects, before any subgraph is called, an operation selecting a field the caller may not use.
 * What an operation needs depends only on the document, so it is computed once per parsed document
 * and operation (Apollo Server keeps one document object per query hash in its bounded document
 * store, so the cache lives as long as that entry) and then checked against each caller's scopes.
 * The walk is linear in the document (`collectRequirements`), and the limits plugin has refused
 * oversized operations before this runs.
 */
export function createAuthPlugin(index: RequirementIndex): ApolloServerPlugin<GatewayContext> & { [AUTH_PLUGIN_MARK]: true } {
  let cache = new WeakMap<OperationDefinitionNode, GuardedPath[]>();
  let cachedSchema: GraphQLSchema | undefined;
  return {
    [AUTH_PLUGIN_MARK]: true,
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue, schema }) {
          if (!operation) return;
          if (schema !== cachedSchema) {
            cache = new WeakMap();
            cachedSchema = schema;
          }
          let guarded = cache.get(operation);
          if (!guarded) {
            guarded = collectRequirements(schema, index, document, operation);
            cache.set(operation, guarded);
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
