import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { ApolloServerPlugin } from '@apollo/server';
import { filterSuggestions } from './introspection.ts';

/** Codes whose message is meant for the client; everything else is masked. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'IP_NOT_ALLOWED',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_LIMIT_EXCEEDED',
  'RATE_LIMITED',
]);
/** Extensions a client may see besides `code` and `requestId`. */
const PUBLIC_EXTENSIONS = ['forbidden', 'paths', 'field', 'missingScopes', 'rule', 'limit', 'value', 'maximum', 'cost', 'retryAfter'];

/**
 * Masks subgraph and internal error details: the client gets a code and the request id, the log
 * gets the rest. A subgraph that is down or too slow shows as SUBGRAPH_UNAVAILABLE at its path.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  requestId: string | undefined,
  log: Logger,
  /** Which names of a "Did you mean …" suggestion the caller may read (introspection.ts); default all. */
  suggestionVisible: (name: string) => boolean = () => true,
): GraphQLFormattedError {
  const ext = (formatted.extensions ?? {}) as Record<string, unknown>;
  const code = typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR';
  if (PUBLIC_CODES.has(code)) {
    const extensions: Record<string, unknown> = { code, requestId };
    for (const key of PUBLIC_EXTENSIONS) if (key in ext) extensions[key] = ext[key];
    return { message: filterSuggestions(formatted.message, suggestionVisible), locations: formatted.locations, path: formatted.path, extensions };
  }
  // Which failure rule answered, for the client and support: an open circuit breaker (no call was
  // made) or a subgraph that stopped a call past its deadline (breaker.ts, subgraph-kit request-scope.ts).
  const rule = code === 'SUBGRAPH_UNAVAILABLE' && typeof ext.breaker === 'string' ? 'CIRCUIT_BREAKER_OPEN' : code === 'DEADLINE_EXCEEDED' ? 'DEADLINE_EXCEEDED' : undefined;
  const unavailable = rule !== undefined || code === 'SUBGRAPH_UNAVAILABLE' || /fetch failed|ECONNREFUSED|aborted|timeout|timed out|socket hang up|ECONNRESET|status 5\d\d|401/i.test(formatted.message);
  const maskedCode = unavailable ? 'SUBGRAPH_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
  log.error({ requestId, error: formatted }, 'masked error');
  return {
    message: unavailable ? `Part of the data is temporarily unavailable (request ${requestId}). 一部のデータを取得できませんでした。` : `Internal server error (request ${requestId}). システムエラーが発生しました。`,
    path: formatted.path,
    extensions: rule ? { code: maskedCode, requestId, rule } : { code: maskedCode, requestId },
  };
}

/**
 * @apollo/gateway reports values it had to null while shaping the answer (a subgraph returned a
 * wrong type, a null for a non-null field) in the response's `extensions.valueCompletion`, as raw
 * errors that never pass `formatError`: their messages name subgraph types and values. They go
 * through `maskError` like every other error a client sees.
 */
export function createResponseMaskingPlugin(mask: (formatted: GraphQLFormattedError) => GraphQLFormattedError): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const ext = response.body.singleResult.extensions as Record<string, unknown> | undefined;
          const raw = ext?.valueCompletion;
          if (!Array.isArray(raw)) return;
          ext!.valueCompletion = raw.map((e: { toJSON?: () => GraphQLFormattedError } & GraphQLFormattedError) => mask(typeof e.toJSON === 'function' ? e.toJSON() : e));
        },
      };
    },
  };
}
