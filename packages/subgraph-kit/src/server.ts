import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import pino, { type Logger } from 'pino';
import {
  DEADLINE_HEADER,
  IDENTITY_HEADER,
  IDENTITY_TTL_SECONDS,
  requestDeadline,
  buildRequirementIndex,
  createIdentityVerifier,
  guardSubgraphSchema,
  type Identity,
} from '@portal/auth';
import {
  graphqlError,
  headerValue,
  httpGraphQLRequest,
  json,
  listenHttp,
  readBody,
  readJsonBody,
  runAsMember,
  runAsSystem,
  runWithoutScope,
  writeGraphQLResponse,
  type Clock,
} from '@portal/platform';
import { SqlMetrics } from './sql-metrics.ts';
import type { SubgraphResolverMap } from './resolvers.ts';
import type { PlatformServices } from './services.ts';
import { MEMBER_FILTER } from './member-filter.ts';
import { openRequestScope } from './request-scope.ts';

/** What every resolver receives. Nothing else reads identity (CONVENTIONS.md 8). */
export interface SubgraphContext<Loaders = unknown> {
  identity: Identity;
  /** Forked per request, with the member filter bound to the caller's member. */
  em: EntityManager;
  loaders: Loaders;
  clock: Clock;
  /** Jobs, files and download links, mail outbox schema. */
  services: PlatformServices;
  requestId: string;
  log: Logger;
}

export interface SubgraphServerOptions<Loaders> {
  name: string;
  sdl: string;
  /** The subgraph's generated `Resolvers` (its context is `SubgraphContext<Loaders>`). */
  resolvers: SubgraphResolverMap;
  orm: MikroORM;
  metrics: SqlMetrics;
  identityPublicKeyPem: string;
  clock: Clock;
  services: PlatformServices;
  /** Builds the request's DataLoaders from its EntityManager. */
  loaders: (em: EntityManager, identity: Identity, clock: Clock) => Loaders;
  /** Extra HTTP routes (file downloads, operator hooks); return true when handled. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /** Lets tests set the shared clock over HTTP (`POST /__test/clock`). Never on in production. */
  testClock?: { set(date: Date): void; reset(): void };
  log?: Logger;
  /** Graceful stop: how long in-flight requests may run once `stop()` is called. Default 10 s. */
  drainTimeoutMs?: number;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  server: Server;
  metrics: SqlMetrics;
  /** Readiness: true once `stop()` has begun draining. */
  readonly draining: boolean;
  /** HTTP requests being answered right now. */
  readonly inFlight: number;
  stop(): Promise<void>;
}


/**
 * A subgraph process: verifies the gateway's signed identity before reading the body (401
 * otherwise, `_service` and `_entities` included), enforces the auth directives in the schema
 * itself, forks the EntityManager per request with member scoping on, and exposes /health.
 */
export async function startSubgraphServer<Loaders>(options: SubgraphServerOptions<Loaders>, port: number, host = '127.0.0.1'): Promise<RunningSubgraph> {
  const log = options.log ?? pino({ name: options.name, level: process.env.PORTAL_LOG_LEVEL ?? 'info' });
  const typeDefs = parse(options.sdl);
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: options.resolvers }]);
  const report = guardSubgraphSchema(schema, buildRequirementIndex(typeDefs), (ctx) => {
    const identity = (ctx as SubgraphContext).identity;
    return { authenticated: identity.kind !== 'anonymous', scopes: identity.scopes };
  });
  log.debug({ report }, 'auth directives enforced');
  const verifier = await createIdentityVerifier(options.identityPublicKeyPem, options.name);

  const errorLogger: ApolloServerPlugin<SubgraphContext<Loaders>> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT' || code === 'NOT_FOUND' || code === 'IP_NOT_ALLOWED') continue;
            // Expected when the gateway gives up first: the request was stopped on purpose, not a fault.
            if (code === 'DEADLINE_EXCEEDED') {
              contextValue.log.warn({ path: error.path, rule: error.extensions?.rule }, 'request stopped: deadline passed or caller gone');
              continue;
            }
            contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'resolver error');
          }
        },
      };
    },
  };

  const apollo = new ApolloServer<SubgraphContext<Loaders>>({
    schema,
    // Cache control is off: nothing here is cacheable by a shared cache (every answer is one member's),
    // and its default plugin wraps every field resolver (willResolveField) to compute hints nobody
    // reads, a measurable part of a 1,000-entity answer's CPU.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), errorLogger],
    // We stop on signals ourselves (drain first, @portal/platform stopOnSignal). Apollo's own handler
    // (on outside NODE_ENV=test) stops Apollo at once and re-raises the signal, killing the process
    // with every request in flight.
    stopOnTerminationSignals: false,
    introspection: true,
    csrfPrevention: false,
    includeStacktraceInErrorResponses: false,
    // Compact JSON: only gateways read this; Apollo Server's default indentation makes a
    // 1,000-entity answer a third larger and costs both sides CPU.
    stringifyResult: (value) => JSON.stringify(value),
  });
  await apollo.start();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      if (drain.draining) return json(res, 503, { status: 'draining', subgraph: options.name });
      const db = await options.orm.em.getConnection().execute('select 1 as ok').then(() => 'ok', () => 'down');
      return json(res, db === 'ok' ? 200 : 503, { status: db === 'ok' ? 'ok' : 'degraded', subgraph: options.name, database: db });
    }
    if (url.pathname === '/metrics') {
      const m = options.metrics;
      return json(res, 200, { subgraph: options.name, sqlStatementsTotal: m.total, sqlStatementsInRequests: m.inRequests, entityCalls: m.entityCalls, representationsTotal: m.representations, representationsDistinct: m.distinctRepresentations });
    }
    if (options.testClock && url.pathname === '/__test/clock' && req.method === 'POST') {
      const body = JSON.parse((await readBody(req)) || '{}') as { now?: string | null };
      if (body.now) options.testClock.set(new Date(body.now));
      else options.testClock.reset();
      return json(res, 200, { now: options.clock.now().toISOString() });
    }
    if (url.pathname !== '/graphql') {
      if (options.routes && (await options.routes(req, res))) return;
      return json(res, 404, { error: 'not found' });
    }

    // Identity first: nothing is parsed for a caller the gateway did not vouch for.
    const identity = await verifier.verify(headerValue(req.headers[IDENTITY_HEADER]));
    if (!identity) {
      req.resume();
      return graphqlError(res, 401, 'UNAUTHENTICATED', 'Unauthorized: missing or invalid internal identity');
    }
    const requestId = identity.requestId || randomUUID();
    const parsedBody = await readJsonBody(req);
    options.metrics.recordBody(parsedBody);

    // The gateway's deadline for this call, never later than the signed identity's expiry.
    const scope = openRequestScope(res, requestDeadline(headerValue(req.headers[DEADLINE_HEADER]), identity.expiresAt ?? Date.now() + IDENTITY_TTL_SECONDS * 1000));
    const { counter, result } = scope.run(() => withDbScope(identity, () => options.metrics.run(() =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: httpGraphQLRequest(req, url, parsedBody),
        context: async () => {
          const em = options.orm.em.fork({ signal: scope.signal, inflightQueryAbortStrategy: 'cancel query' }) as EntityManager;
          // Member scoping in one place: every member-private entity's default filter reads this.
          // An identity without a member (login, operator) binds null: the filter refuses, unless a query opts out explicitly.
          em.setFilterParams(MEMBER_FILTER, { memberId: identity.memberId });
          return {
            identity,
            em,
            loaders: options.loaders(em, identity, options.clock),
            clock: options.clock,
            services: options.services,
            requestId,
            log: log.child({ requestId }),
          };
        },
      }),
    )));
    const response = await result.finally(() => scope.dispose());
    res.setHeader('x-sql-statements', String(counter.count));
    await writeGraphQLResponse(res, response);
  };

  const { server, port: actualPort, drain } = await listenHttp({ port, host, drainTimeoutMs: options.drainTimeoutMs, handle, onFailure: (err) => log.error({ err }, 'request failed') });
  log.info({ port: actualPort }, `${options.name} subgraph listening`);
  return {
    name: options.name,
    url: `http://${host}:${actualPort}/graphql`,
    port: actualPort,
    server,
    metrics: options.metrics,
    get draining() {
      return drain.draining;
    },
    get inFlight() {
      return drain.inFlight;
    },
    async stop() {
      const drained = await drain.drain();
      if (drained.cutOff > 0) log.warn(drained, 'drain timeout ran out: requests cut off');
      await apollo.stop();
    },
  };
}

/**
 * The request's row-level security scope: its member; the operator back office across members
 * (it reads and writes every member's rows by design, behind the `operator` scope the directives
 * check); anything else (anonymous) none, so only code that opts in (login) sees member rows.
 */
function withDbScope<T>(identity: Identity, fn: () => T): T {
  if (identity.memberId) return runAsMember(identity.memberId, fn);
  if (identity.kind === 'operator') return runAsSystem('operator back office', fn);
  return runWithoutScope(fn);
}
