import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { anonymousIdentity, createIdentitySigner, IDENTITY_HEADER, type Identity, type IdentitySigner } from '@portal/auth';
import { createGraphiqlHandler } from '@portal/graphiql';
import { loadEnv } from '@portal/config';
import { graphqlError, headerValue, httpGraphQLRequest, json, listenHttp, readJsonBody, writeGraphQLResponse } from '@portal/platform';
import { gatewayEnvShape, operationLimitsOf, parseSubgraphUrls, type GatewayEnv } from './env.ts';
import { loadSupergraph } from './supergraph.ts';
import { AUTH_PLUGIN_MARK, createAuthPlugin } from './auth-plugin.ts';
import { createGatewayContext, type GatewayContext } from './context.ts';
import { PortalDataSource } from './data-source.ts';
import { createResponseMaskingPlugin, maskError } from './errors.ts';
import { SessionResolver } from './sessions.ts';
import { clientIpOf } from './client-ip.ts';
import { createLimitsPlugin, tokenLimitRefusal } from './limits-plugin.ts';
import { buildCostIndex } from './cost-index.ts';
import { buildSchemaViews, createIntrospectionPlugin, suggestionFilter, type SchemaViews } from './introspection.ts';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { breakerState, createSubgraphBreaker } from './breaker.ts';
import { rateLimitHeaders, rateLimitedMessage, requestBucketsFor, type RateDecision } from './rate-limit.ts';
import { createPgRateLimitStore } from './rate-limit-store.ts';
import { createCostBudgetPlugin } from './cost-budget-plugin.ts';
import { logPoolError } from './pool-error-log.ts';

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  /** Graceful stop: drains in-flight requests (PORTAL_DRAIN_TIMEOUT_MS), then Apollo and the session pool. */
  stop(): Promise<void>;
  /** The drain timeout plus time for the rest of `stop()`: what a signal handler should wait at most. */
  stopGraceMs: number;
}

export async function startGateway(source: NodeJS.ProcessEnv = process.env, log: Logger = pino({ name: 'gateway', level: source.PORTAL_LOG_LEVEL ?? 'info' })): Promise<RunningGateway> {
  const env: GatewayEnv = loadEnv('gateway', gatewayEnvShape, source);
  const supergraph = loadSupergraph(readFileSync(env.PORTAL_SUPERGRAPH_PATH, 'utf8'));
  const urls = parseSubgraphUrls(env.PORTAL_SUBGRAPH_URLS);
  const composedUrls = supergraph.subgraphUrls;
  const subgraphBase = (name: string) => (urls.get(name) ?? composedUrls.get(name))?.replace(/\/graphql$/, '');
  const signer = await createIdentitySigner(env.PORTAL_INTERNAL_PRIVATE_KEY);
  const trustedProxies = env.PORTAL_TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean);

  const breakers = new Map<string, CircuitBreakerPolicy>();
  const breakerFor = (name: string) => {
    let breaker = breakers.get(name);
    if (!breaker) {
      const created = createSubgraphBreaker({ failures: env.PORTAL_BREAKER_FAILURES, halfOpenAfterMs: env.PORTAL_BREAKER_HALF_OPEN_MS });
      created.onStateChange(() => log.warn({ subgraph: name, breaker: breakerState(created) }, 'subgraph circuit breaker changed state'));
      breakers.set(name, (breaker = created));
    }
    return breaker;
  };
  for (const name of composedUrls.keys()) breakerFor(name);
  // @apollo/gateway 2.14 exports usage metrics to Apollo's servers and, to label them, probes the
  // cloud metadata endpoints (169.254.169.254 and others) from its constructor, unless this variable
  // says no. A tenant portal sends nothing about its traffic to anyone: it is always off here.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.gatewaySdl,
    buildService: ({ name, url }) => new PortalDataSource(name, urls.get(name) ?? url ?? '', env.PORTAL_SUBGRAPH_TIMEOUT_MS, breakerFor(name)),
    logger: log.child({ component: 'apollo-gateway' }) as never,
  });

  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
  // An idle connection the server closes (restart, failover) must not crash the gateway.
  pool.on('error', logPoolError(log, 'session pool connection lost'));
  const rateLimits = env.PORTAL_RATE_LIMITS;
  const rateStore = await createPgRateLimitStore(pool, {
    longestWindowSeconds: Math.max(...Object.values(rateLimits).map((p) => p?.windowSeconds ?? 0)),
    onError: (error) => log.warn({ err: error }, 'rate bucket clean-up failed'),
  });

  const authPlugin = createAuthPlugin(supergraph.index);
  const limits = operationLimitsOf(env);
  // The member-facing schema view, built when the API schema loads (before the first request, so
  // suggestions are filtered from the start) and again if the gateway ever reloads it.
  let views: { schema: GraphQLSchema; views: SchemaViews } | undefined;
  const viewsOf = (schema: GraphQLSchema) => {
    if (views?.schema !== schema) views = { schema, views: buildSchemaViews(schema, supergraph.index) };
    return views.views;
  };
  const schemaViewsPlugin: ApolloServerPlugin<GatewayContext> = {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          viewsOf(apiSchema);
        },
      };
    },
  };
  const mask = (formatted: GraphQLFormattedError, requestId?: string) => {
    const scope = requestScope.getStore();
    return maskError(tokenLimitRefusal(formatted, limits.tokens) ?? formatted, requestId ?? scope?.requestId, log, suggestionFilter(scope?.identity, views?.views));
  };
  // Order matters: the limits plugin measures the operation that the cost budget charges and the
  // introspection plugin reads (Apollo starts the didResolveOperation hooks in list order).
  const plugins = [
    ApolloServerPluginLandingPageDisabled(),
    schemaViewsPlugin,
    createLimitsPlugin(limits, buildCostIndex(supergraph.document)),
    authPlugin,
    // Charges the cost the limits plugin just computed (contextValue.operationCost) to the caller's budget.
    createCostBudgetPlugin(rateStore, rateLimits),
    createIntrospectionPlugin(viewsOf, (e) => mask(e.toJSON())),
    createResponseMaskingPlugin((f) => mask(f)),
  ];
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins,
    // We stop on signals ourselves (drain first, @portal/platform stopOnSignal). Apollo's own handler
    // (on outside NODE_ENV=test) stops Apollo at once and re-raises the signal, killing the process
    // with every request in flight.
    stopOnTerminationSignals: false,
    // Anonymous introspection is refused and members get the member view (introspection.ts).
    introspection: true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    // Compact JSON: Apollo Server indents by default, which for a 1,000-line invoice is a third of
    // the bytes and a good part of the gateway's CPU per request.
    stringifyResult: (value) => JSON.stringify(value),
    // The token limit, before anything else looks at the document (limits-plugin.ts).
    parseOptions: { maxTokens: limits.tokens },
    formatError: (formatted, error) => mask(formatted, (error as { extensions?: { requestId?: string } })?.extensions?.requestId),
  });
  assertEnforcementInstalled(plugins, supergraph.index.occurrences, supergraph.directiveCount);
  await apollo.start();
  log.info({ directives: supergraph.directiveCount }, 'auth directives enforced at the gateway');

  const sessions = new SessionResolver(pool, env.PORTAL_SESSION_IDLE_MINUTES);
  const graphiql = createGraphiqlHandler({ mountPath: '/graphiql', endpoint: '/graphql' });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      // Readiness: a draining gateway asks its load balancer to send new requests elsewhere.
      if (drain.draining) return json(res, 503, { status: 'draining' });
      return json(res, 200, await health([...composedUrls.keys()], subgraphBase, breakers));
    }
    if (url.pathname === '/') {
      res.statusCode = 302;
      res.setHeader('location', '/graphiql');
      return res.end();
    }
    if (graphiql(req, res)) return;
    const download = url.pathname.startsWith('/files/');
    if (!download && url.pathname !== '/graphql') return json(res, 404, { error: 'not found' });

    const requestId = randomUUID();
    // Set first, so every answer (refusals and failures too) carries it.
    res.setHeader('x-request-id', requestId);
    // Whatever a client claims about identity is dropped; only the gateway signs identities.
    delete req.headers[IDENTITY_HEADER];
    const clientIp = clientIpOf(req, trustedProxies);
    const session = await sessions.resolve(headerValue(req.headers.authorization), clientIp, requestId);
    // Every call is charged, refused ones too: a bad token is charged to its address, a refused
    // address to its account, so neither can be used to hammer the session lookup for free.
    const caller = session.kind === 'ok' || session.kind === 'ip-not-allowed' ? session.identity : anonymousIdentity(clientIp, requestId);
    const limit = await rateStore.take(requestBucketsFor(caller, rateLimits), 1);
    for (const [name, value] of Object.entries(rateLimitHeaders(limit))) res.setHeader(name, value);
    if (!limit.allowed) {
      req.resume();
      if (download) logDownloadRefusal(log, caller, url, 'RATE_LIMITED');
      return rateLimited(res, limit, requestId);
    }
    if (session.kind === 'invalid') {
      req.resume();
      if (download) logDownloadRefusal(log, caller, url, 'UNAUTHENTICATED');
      return graphqlError(res, 401, 'UNAUTHENTICATED', 'The session is invalid or has ended. Please log in again. セッションが無効です。再度ログインしてください。', { requestId });
    }
    if (session.kind === 'ip-not-allowed') {
      req.resume();
      if (download) logDownloadRefusal(log, caller, url, 'IP_NOT_ALLOWED');
      return graphqlError(res, 403, 'IP_NOT_ALLOWED', 'Access from this IP address is not allowed. このIPアドレスからのアクセスは許可されていません。', { requestId });
    }
    // Past the refusals the session is `ok` or absent: the caller charged above is the identity.
    const identity = caller;
    if (download) return proxyDownload(req, res, url, subgraphBase, identity, signer);

    const body = await readJsonBody(req);
    const response = await requestScope.run({ requestId, identity }, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: httpGraphQLRequest(req, url, body),
        context: async () => createGatewayContext(identity, signer),
      }),
    );
    // The cost budget's RateLimit items join the request buckets' (structured-field lists concatenate).
    await writeGraphQLResponse(res, response, RATE_LIMIT_LISTS);
  };

  const { server, port, drain } = await listenHttp({
    port: env.PORTAL_PORT,
    host: env.PORTAL_HOST,
    drainTimeoutMs: env.PORTAL_DRAIN_TIMEOUT_MS,
    handle,
    onFailure: (err) => log.error({ err }, 'request failed'),
  });
  log.info({ port }, 'gateway listening');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    server,
    stopGraceMs: env.PORTAL_DRAIN_TIMEOUT_MS + 5_000,
    async stop() {
      const drained = await drain.drain();
      if (drained.cutOff > 0) log.warn(drained, 'drain timeout ran out: requests cut off');
      else log.info(drained, 'drained');
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

/** The request id and caller, for error masking (formatError has neither). */
const requestScope = new AsyncLocalStorage<{ requestId: string; identity: Identity }>();

/** The gateway is `ok` when every subgraph of the supergraph answers its own /health; `breakers` shows each subgraph's circuit breaker. */
async function health(names: readonly string[], baseOf: (name: string) => string | undefined, breakers: ReadonlyMap<string, CircuitBreakerPolicy>) {
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
  const breakerStates = Object.fromEntries([...breakers].map(([name, breaker]) => [name, breakerState(breaker)]));
  return { status: Object.values(subgraphs).every((s) => s === 'ok') ? 'ok' : 'degraded', subgraphs, breakers: breakerStates };
}

/**
 * Download links (`/files/<subgraph>/<token>`) are signed, short-lived capabilities issued by a
 * subgraph; the gateway relays them to the subgraph that signed them with the caller's signed
 * identity (a session's member, or anonymous with the client address), and the subgraph verifies
 * the link, refuses a member's session presenting another member's link, and logs the use.
 */
async function proxyDownload(req: IncomingMessage, res: ServerResponse, url: URL, baseOf: (name: string) => string | undefined, identity: Identity, signer: IdentitySigner) {
  const match = /^\/files\/([a-z]+)\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
  const base = match ? baseOf(match[1]!) : undefined;
  if (!match || !base || (req.method !== 'GET' && req.method !== 'HEAD')) return json(res, 404, { error: 'not found' });
  const upstream = await fetch(`${base}/files/${match[2]}`, {
    method: req.method,
    headers: { [IDENTITY_HEADER]: await signer.sign(identity, match[1]!), 'x-request-id': identity.requestId },
    signal: AbortSignal.timeout(30_000),
  });
  res.statusCode = upstream.status;
  for (const name of ['content-type', 'content-length', 'content-disposition', 'cache-control', 'x-content-type-options', 'referrer-policy']) {
    const value = upstream.headers.get(name);
    if (value) res.setHeader(name, value);
  }
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

/** Refusals the gateway makes before a download reaches its subgraph; the subgraph logs the rest (subgraph-kit download-log.ts). */
function logDownloadRefusal(log: Logger, caller: Identity, url: URL, code: string): void {
  log.warn({ event: 'file.download', outcome: 'refused', code, path: url.pathname.replace(/[^/]+$/, '…'), callerKind: caller.kind, accountId: caller.accountId, memberId: caller.memberId, clientIp: caller.clientIp, requestId: caller.requestId }, 'download link refused');
}

/** Response headers that are structured-field lists, one item per bucket. */
const RATE_LIMIT_LISTS = new Set(['ratelimit', 'ratelimit-policy']);

/** HTTP 429 with RATE_LIMITED naming the limit; the RateLimit headers and Retry-After are already set. */
function rateLimited(res: ServerResponse, decision: RateDecision, requestId: string): void {
  graphqlError(res, 429, 'RATE_LIMITED', rateLimitedMessage(decision), { requestId, limit: decision.refusedBy, retryAfter: decision.retryAfterSeconds });
}
