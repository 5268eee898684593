import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

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
  'QUERY_TOO_DEEP',
  'RATE_LIMITED',
]);
/** Extensions a client may see besides `code` and `requestId`. */
const PUBLIC_EXTENSIONS = ['forbidden', 'paths', 'field', 'missingScopes', 'rule', 'limit', 'retryAfter', 'cost'];

/**
 * Masks subgraph and internal error details: the client gets a code and the request id, the log
 * gets the rest. A subgraph that is down or too slow shows as SUBGRAPH_UNAVAILABLE at its path.
 */
export function maskError(formatted: GraphQLFormattedError, requestId: string | undefined, log: Logger): GraphQLFormattedError {
  const ext = (formatted.extensions ?? {}) as Record<string, unknown>;
  const code = typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR';
  if (PUBLIC_CODES.has(code)) {
    const extensions: Record<string, unknown> = { code, requestId };
    for (const key of PUBLIC_EXTENSIONS) if (key in ext) extensions[key] = ext[key];
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  const unavailable = /fetch failed|ECONNREFUSED|aborted|timeout|timed out|socket hang up|ECONNRESET|status 5\d\d|401/i.test(formatted.message);
  const maskedCode = unavailable ? 'SUBGRAPH_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
  log.error({ requestId, error: formatted }, 'masked error');
  return {
    message: unavailable ? `Part of the data is temporarily unavailable (request ${requestId}). 一部のデータを取得できませんでした。` : `Internal server error (request ${requestId}). システムエラーが発生しました。`,
    path: formatted.path,
    extensions: { code: maskedCode, requestId },
  };
}
