import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { CircuitBreakerPolicy } from 'cockatiel';
import { DEADLINE_HEADER, IDENTITY_HEADER } from '@portal/auth';
import { isFailureStatus, throughBreaker } from './breaker.ts';
import { subgraphFailure } from './errors.ts';
import type { GatewayContext } from './context.ts';
import { dedupeRepresentations, fanOutEntities, type GatewayGraphQLResponse } from './entity-dedup.ts';

/**
 * Calls one subgraph with the caller's signed identity and nothing else of the client's request
 * (client headers are never forwarded), gives up after the configured timeout and tells the
 * subgraph when that is (`x-portal-deadline`, so it stops working on an answer nobody waits for),
 * fails fast while the subgraph's circuit breaker is open (breaker.ts), and sends each distinct
 * entity once per `_entities` call (entity-dedup.ts).
 */
export class PortalDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    private readonly timeoutMs: number,
    breaker: CircuitBreakerPolicy,
  ) {
    super({
      url,
      fetcher: ((input: string, init?: RequestInit) => throughBreaker(breaker, subgraphName, () => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }))) as never,
    });
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const variables = options.request.variables;
    const representations = variables?.representations;
    const deduped = Array.isArray(representations) && representations.length > 1 ? dedupeRepresentations(representations) : null;
    if (!deduped) return super.process(options);
    options.request.variables = { ...variables, representations: deduped.distinct };
    return fanOutEntities(await super.process(options), deduped.slotOf);
  }

  /** Types the failure here, where its kind is known, so error masking never reads a message (errors.ts). */
  override didEncounterError(error: Error, _request: unknown, response?: { status: number }): void {
    throw subgraphFailure(this.subgraphName, error, response?.status, isFailureStatus);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!context?.identityTokenFor) throw new Error('gateway context missing: refusing to call a subgraph without an identity');
    request.http?.headers.set(IDENTITY_HEADER, await context.identityTokenFor(this.subgraphName));
    request.http?.headers.set('x-request-id', context.requestId);
    // The moment this call's timeout fires; the subgraph also bounds it by the identity's expiry.
    request.http?.headers.set(DEADLINE_HEADER, String(Date.now() + this.timeoutMs));
  }
}
