import { GraphQLError, type GraphQLFormattedError } from 'graphql';
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
  // The data source typed its failures (subgraphFailure below); the message's text decides nothing.
  const unavailable = rule !== undefined || code === 'SUBGRAPH_UNAVAILABLE';
  const maskedCode = unavailable ? 'SUBGRAPH_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
  log.error({ requestId, error: formatted }, 'masked error');
  return {
    message: unavailable ? `Part of the data is temporarily unavailable (request ${requestId}). 一部のデータを取得できませんでした。` : `Internal server error (request ${requestId}). システムエラーが発生しました。`,
    path: formatted.path,
    extensions: rule ? { code: maskedCode, requestId, rule } : { code: maskedCode, requestId },
  };
}

/**
 * What a failed subgraph call becomes, decided by the error's type where @apollo/gateway's
 * RemoteGraphQLDataSource raised it (data-source.ts `didEncounterError`), not by its message:
 * - no answer at all: a transport failure (undici's `TypeError`, 'fetch failed' or a body cut
 *   off), our timeout or an abort (`DOMException` TimeoutError/AbortError), a socket error (a Node
 *   system error with a string `code` such as ECONNRESET): SUBGRAPH_UNAVAILABLE;
 * - an HTTP answer the breaker counts as a failure (5xx, breaker.ts `isFailureStatus`): SUBGRAPH_UNAVAILABLE;
 * - anything else (a 4xx, a body that is not JSON, the breaker's own typed refusal): unchanged.
 */
export function subgraphFailure(subgraph: string, error: unknown, status: number | undefined, isFailureStatus: (status: number) => boolean): unknown {
  if (error instanceof GraphQLError && error.extensions.code === 'SUBGRAPH_UNAVAILABLE') return error;
  const transport =
    error instanceof TypeError ||
    (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) ||
    (error instanceof Error && !(error instanceof GraphQLError) && typeof (error as { code?: unknown }).code === 'string');
  const failedStatus = error instanceof GraphQLError && status !== undefined && isFailureStatus(status);
  if (!transport && !failedStatus) return error;
  // The message is for the log only (maskError replaces it for the client): keep the cause there.
  const cause = error instanceof Error ? [error.message, (error.cause as { code?: unknown } | undefined)?.code].filter((part) => typeof part === 'string' && part).join(' ') : String(error);
  return new GraphQLError(`Subgraph ${subgraph} did not answer: ${cause}`, {
    originalError: error instanceof Error ? error : undefined,
    extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph, ...(status === undefined ? {} : { status }) },
  });
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
