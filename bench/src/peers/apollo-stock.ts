/**
 * Stock Apollo Gateway: @apollo/gateway + @apollo/server's standalone server on the same supergraph,
 * no plugins, default settings. The one addition: a minimal RemoteGraphQLDataSource that adds a
 * pre-signed identity token per subgraph, or the subgraphs (which verify every call) would answer 401.
 */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { IDENTITY_HEADER } from '@portal/auth';
import { peerEnv, startTokenSource } from '../identity.ts';

const env = peerEnv();
const tokens = await startTokenSource(env.privateKeyPem, env.identity, Object.keys(env.subgraphUrls));

class PreSignedIdentity extends RemoteGraphQLDataSource {
  constructor(private readonly subgraph: string, url: string) {
    super({ url });
  }
  override willSendRequest({ request }: Parameters<NonNullable<RemoteGraphQLDataSource['willSendRequest']>>[0]) {
    request.http?.headers.set(IDENTITY_HEADER, tokens.get(this.subgraph));
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(env.supergraphPath, 'utf8'),
  buildService: ({ name, url }) => new PreSignedIdentity(name, env.subgraphUrls[name] ?? url ?? ''),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: env.port, host: '127.0.0.1' } });
console.log(`stock Apollo Gateway at ${url}`);
