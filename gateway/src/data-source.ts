import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER } from '@portal/auth';
import type { GatewayContext } from './context.ts';

/**
 * Calls one subgraph with the caller's signed identity and nothing else of the client's request
 * (client headers are never forwarded), and gives up after the configured timeout.
 */
export class PortalDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    timeoutMs: number,
  ) {
    super({
      url,
      fetcher: ((input: string, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!context?.identityTokenFor) throw new Error('gateway context missing: refusing to call a subgraph without an identity');
    request.http?.headers.set(IDENTITY_HEADER, await context.identityTokenFor(this.subgraphName));
    request.http?.headers.set('x-request-id', context.requestId);
  }
}
