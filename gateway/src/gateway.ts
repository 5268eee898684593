import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { anonymousIdentity, createIdentitySigner, IDENTITY_HEADER } from '@portal/auth';
import { createGraphiqlHandler } from '@portal/graphiql';
import { loadEnv } from '@portal/config';
import { gatewayEnvShape, parseSubgraphUrls, type GatewayEnv } from './env.ts';
import { loadSupergraph } from './supergraph.ts';
import { AUTH_PLUGIN_MARK, createAuthPlugin } from './auth-plugin.ts';
import { createGatewayContext, type GatewayContext } from './context.ts';
import { PortalDataSource } from './data-source.ts';
import { maskError } from './errors.ts';
import { SessionResolver } from './sessions.ts';
import { clientIpOf } from './client-ip.ts';
import { depthLimit } from './depth-limit.ts';

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

export async function startGateway(source: NodeJS.ProcessEnv = process.env, log: Logger = pino({ name: 'gateway', level: source.PORTAL_LOG_LEVEL ?? 'info' })): Promise<RunningGateway> {
  const env: GatewayEnv = loadEnv('gateway', gatewayEnvShape, source);
  const supergraph = loadSupergraph(readFileSync(env.PORTAL_SUPERGRAPH_PATH, 'utf8'));
  const urls = parseSubgraphUrls(env.PORTAL_SUBGRAPH_URLS);
  const composedUrls = new Map([...supergraph.gatewaySdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)].map((m) => [m[1]!, m[2]!]));
  const subgraphBase = (name: string) => (urls.get(name) ?? composedUrls.get(name))?.replace(/\/graphql$/, '');
  const signer = await createIdentitySigner(env.PORTAL_INTERNAL_PRIVATE_KEY);
  const trustedProxies = env.PORTAL_TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean);

  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.gatewaySdl,
    buildService: ({ name, url }) => new PortalDataSource(name, urls.get(name) ?? url ?? '', env.PORTAL_SUBGRAPH_TIMEOUT_MS),
    logger: log.child({ component: 'apollo-gateway' }) as never,
  });

  const authPlugin = createAuthPlugin(supergraph.index);
  const plugins = [ApolloServerPluginLandingPageDisabled(), authPlugin];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins,
    introspection: true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    // Compact JSON: Apollo Server indents by default, which for a 1,000-line invoice is a third of
    // the bytes and a good part of the gateway's CPU per request.
    stringifyResult: (value) => JSON.stringify(value),
    validationRules: [depthLimit(env.PORTAL_MAX_QUERY_DEPTH)],
    formatError: (formatted, error) => maskError(formatted, (error as { extensions?: { requestId?: string } })?.extensions?.requestId ?? currentRequestId(), log),
  });
  assertEnforcementInstalled(plugins, supergraph.index.occurrences, supergraph.directiveCount);
  await apollo.start();
  log.info({ directives: supergraph.directiveCount }, 'auth directives enforced at the gateway');

  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
  // An idle connection the server closes (restart, failover) must not crash the gateway.
  pool.on('error', (error) => log.warn({ err: error }, 'session pool connection lost'));
  const sessions = new SessionResolver(pool, env.PORTAL_SESSION_IDLE_MINUTES);
  const graphiql = createGraphiqlHandler({ mountPath: '/graphiql', endpoint: '/graphql' });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return json(res, 200, await health([...composedUrls.keys()], subgraphBase));
    if (url.pathname === '/') {
      res.statusCode = 302;
      res.setHeader('location', '/graphiql');
      return res.end();
    }
    if (graphiql(req, res)) return;
    if (url.pathname.startsWith('/files/')) return proxyDownload(req, res, url, subgraphBase);
    if (url.pathname !== '/graphql') return json(res, 404, { error: 'not found' });

    const requestId = randomUUID();
    // Whatever a client claims about identity is dropped; only the gateway signs identities.
    delete req.headers[IDENTITY_HEADER];
    const clientIp = clientIpOf(req, trustedProxies);
    const session = await sessions.resolve(headerValue(req.headers.authorization), clientIp, requestId);
    if (session.kind === 'invalid') {
      req.resume();
      return graphqlError(res, 401, 'UNAUTHENTICATED', 'The session is invalid or has ended. Please log in again. セッションが無効です。再度ログインしてください。', requestId);
    }
    if (session.kind === 'ip-not-allowed') {
      req.resume();
      return graphqlError(res, 403, 'IP_NOT_ALLOWED', 'Access from this IP address is not allowed. このIPアドレスからのアクセスは許可されていません。', requestId);
    }
    const identity = session.kind === 'ok' ? session.identity : anonymousIdentity(clientIp, requestId);

    const body = req.method === 'POST' ? await readBody(req) : '';
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : undefined;
    } catch {
      return graphqlError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.', requestId);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    const response = await requestIds.run(requestId, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: url.search, body: parsed },
        context: async () => createGatewayContext(identity, signer),
      }),
    );
    res.statusCode = response.status ?? 200;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.setHeader('x-request-id', requestId);
    if (response.body.kind === 'complete') res.end(response.body.string);
    else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = (err as { status?: number }).status ?? 500;
      log.error({ err }, 'request failed');
      if (!res.headersSent) graphqlError(res, status, status === 413 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', status === 413 ? 'Request body too large.' : 'Internal server error.', undefined);
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORTAL_PORT, env.PORTAL_HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORTAL_PORT;
  log.info({ port }, 'gateway listening');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    server,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
      await pool.end();
    },
  };
}

/**
 * The gateway must never serve a supergraph whose auth directives it does not enforce: the
 * enforcement plugin must be installed and must have indexed every directive occurrence.
 */
export function assertEnforcementInstalled(plugins: readonly object[], indexed: number, present: number): void {
  if (!plugins.some((p) => AUTH_PLUGIN_MARK in p)) throw new Error('Refusing to start: the auth directive enforcement plugin is not installed.');
  if (indexed !== present) throw new Error(`Refusing to start: ${present} auth directives in the supergraph but ${indexed} enforced.`);
}

const requestIds = new AsyncLocalStorage<string>();
function currentRequestId(): string | undefined {
  return requestIds.getStore();
}

/** The gateway is `ok` when every subgraph of the supergraph answers its own /health. */
async function health(names: readonly string[], baseOf: (name: string) => string | undefined) {
  const subgraphs: Record<string, string> = {};
  await Promise.all(
    names.map(async (name) => {
      try {
        const r = await fetch(`${baseOf(name)}/health`, { signal: AbortSignal.timeout(2000) });
        subgraphs[name] = r.ok ? 'ok' : `status ${r.status}`;
      } catch {
        subgraphs[name] = 'down';
      }
    }),
  );
  return { status: Object.values(subgraphs).every((s) => s === 'ok') ? 'ok' : 'degraded', subgraphs };
}

/**
 * Download links (`/files/<subgraph>/<token>`) are signed, short-lived capabilities issued by a
 * subgraph; the gateway only relays them to the subgraph that signed them, which verifies them.
 */
async function proxyDownload(req: IncomingMessage, res: ServerResponse, url: URL, baseOf: (name: string) => string | undefined) {
  const match = /^\/files\/([a-z]+)\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
  const base = match ? baseOf(match[1]!) : undefined;
  if (!match || !base || (req.method !== 'GET' && req.method !== 'HEAD')) return json(res, 404, { error: 'not found' });
  const upstream = await fetch(`${base}/files/${match[2]}`, { method: req.method, signal: AbortSignal.timeout(30_000) });
  res.statusCode = upstream.status;
  for (const name of ['content-type', 'content-length', 'content-disposition', 'cache-control', 'x-content-type-options', 'referrer-policy']) {
    const value = upstream.headers.get(name);
    if (value) res.setHeader(name, value);
  }
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function graphqlError(res: ServerResponse, status: number, code: string, message: string, requestId: string | undefined): void {
  json(res, status, { errors: [{ message, extensions: { code, requestId } }] });
}
