import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { drainable, type DrainingServer } from './http-drain.ts';

/**
 * The one Node HTTP layer the gateway and every subgraph serve GraphQL through (Apollo Server's
 * `executeHTTPGraphQLRequest`, not its Express integration): each server decides who the caller is
 * from the raw request before any body is read or parsed (a 401 costs no parsing), reads the
 * client's socket address itself, and wraps execution in its own scopes (SQL counters, deadlines,
 * request ids). What is the same for both lives here once: the body limit, JSON in and out, the
 * HeaderMap copy, streaming the answer, and the listen/drain wiring for a graceful stop.
 */

/** Request bodies above this are refused with 413 before they are buffered further. */
export const MAX_BODY_BYTES = 1_000_000;

/** An answer a request handler gives by throwing: status, a GraphQL error `code`, and a message the client may read. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'BAD_REQUEST', 'Request body too large. リクエストが大きすぎます。');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A POST's body parsed as JSON (undefined when empty or not a POST); 400 BAD_REQUEST when it is not JSON. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const body = req.method === 'POST' ? await readBody(req, limit) : '';
  if (!body) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'The request body is not valid JSON. リクエストの形式が正しくありません。');
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** A GraphQL-shaped refusal made before execution (401, 403, 413, 429...): `errors[0].extensions.code` is the contract. */
export function graphqlError(res: ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  json(res, status, { errors: [{ message, extensions: { code, ...extensions } }] });
}

/** The request as Apollo Server takes it; every client header is copied (the identity header was already handled by the caller). */
export function httpGraphQLRequest(req: IncomingMessage, url: URL, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  return { method: req.method ?? 'POST', headers, search: url.search, body };
}

/**
 * Writes Apollo Server's answer. Headers already on `res` are replaced, except those named in
 * `appendTo`, whose values are joined (structured-field lists such as RateLimit concatenate).
 */
export async function writeGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse, appendTo: ReadonlySet<string> = new Set()): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [key, value] of response.headers) {
    const before = appendTo.has(key) ? res.getHeader(key) : undefined;
    res.setHeader(key, before ? `${String(before)}, ${value}` : value);
  }
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

export interface HttpServerOptions {
  port: number;
  host: string;
  /** How long in-flight requests may run once `drain()` is called (http-drain.ts). */
  drainTimeoutMs?: number;
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;
  /** Where an unexpected failure is reported; an `HttpError` is an answer, not a failure, and is not reported. */
  onFailure: (err: unknown) => void;
}

export interface ListeningHttpServer {
  server: Server;
  /** The bound port (the one asked for, or the one the OS chose for 0). */
  port: number;
  drain: DrainingServer;
}

/**
 * Creates, wires for draining and starts a server. A thrown `HttpError` becomes its GraphQL-shaped
 * answer; anything else is a 500 INTERNAL_SERVER_ERROR with no detail (the detail goes to `onFailure`).
 */
export async function listenHttp(options: HttpServerOptions): Promise<ListeningHttpServer> {
  const server = createServer((req, res) => {
    options.handle(req, res).catch((err: unknown) => {
      if (!(err instanceof HttpError)) options.onFailure(err);
      if (res.headersSent) return void res.end();
      // The rest of a refused body is discarded, so a keep-alive connection stays usable.
      req.resume();
      // A handler that has named the request (`x-request-id`) gets its id into the error too, for support.
      const requestId = res.getHeader('x-request-id');
      const extensions = typeof requestId === 'string' ? { requestId } : {};
      if (err instanceof HttpError) graphqlError(res, err.status, err.code, err.message, extensions);
      else graphqlError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error. システムエラーが発生しました。', extensions);
    });
  });
  // Longer than the usual load balancer idle timeout (60 s), so the balancer, not we, closes idle connections.
  server.keepAliveTimeout = 65_000;
  // Before listening, so the drain sees every request.
  const drain = drainable(server, options.drainTimeoutMs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, port, drain };
}
