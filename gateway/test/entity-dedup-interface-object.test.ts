import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { PortalDataSource } from '../src/data-source.ts';
import { createSubgraphBreaker } from '../src/breaker.ts';
import type { GatewayContext } from '../src/context.ts';

/**
 * A small federated fixture where de-duplicated representations reach positions the gateway then
 * treats differently: `Media` is an interface in `catalog` (Book and Movie, which share the id m1) and
 * an `@interfaceObject` in `ratings`, so the gateway asks `ratings` for `{ __typename: "Media", id:
 * "m1" }` twice and then stamps each position with its own concrete type. Our data source sends it
 * once and must still give each position its own object; stock @apollo/gateway is the control.
 */
const catalog = {
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    interface Media @key(fields: "id") { id: ID! title: String! }
    type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
    type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }
    type Query { media: [Media!]! }
  `),
  resolvers: {
    Query: {
      media: () => [
        { __typename: 'Book', id: 'm1', title: 'The Book', pages: 320 },
        { __typename: 'Movie', id: 'm1', title: 'The Movie', minutes: 95 },
        { __typename: 'Book', id: 'm1', title: 'The Book', pages: 320 },
      ],
    },
    Media: { __resolveType: (m: { __typename: string }) => m.__typename },
  },
};
const ratings = {
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
    type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int! }
  `),
  resolvers: { Media: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, rating: 5 }) } },
};

const QUERY = '{ media { __typename id rating ... on Book { title pages } ... on Movie { title minutes } } }';
const EXPECTED = [
  { __typename: 'Book', id: 'm1', rating: 5, title: 'The Book', pages: 320 },
  { __typename: 'Movie', id: 'm1', rating: 5, title: 'The Movie', minutes: 95 },
  { __typename: 'Book', id: 'm1', rating: 5, title: 'The Book', pages: 320 },
];

const servers: { stop(): Promise<void> }[] = [];
const urls: Record<string, string> = {};
let supergraphSdl = '';
let ratingCalls: unknown[][] = [];

beforeAll(async () => {
  for (const [name, def] of Object.entries({ catalog, ratings })) {
    const server = new ApolloServer({
      schema: buildSubgraphSchema([def as never]),
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        {
          async requestDidStart({ request }) {
            if (name === 'ratings' && Array.isArray(request.variables?.representations)) ratingCalls.push(request.variables.representations);
          },
        },
      ],
    });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    servers.push(server);
    urls[name] = url;
  }
  const composed = composeServices(Object.entries({ catalog, ratings }).map(([name, def]) => ({ name, url: urls[name]!, typeDefs: def.typeDefs })));
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  supergraphSdl = composed.supergraphSdl;
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function run(buildService: (name: string, url: string) => RemoteGraphQLDataSource<GatewayContext>) {
  const gateway = new ApolloGateway({ supergraphSdl, buildService: ({ name, url }) => buildService(name, url ?? '') });
  const server = new ApolloServer<GatewayContext>({ gateway });
  await server.start();
  try {
    ratingCalls = [];
    const context: GatewayContext = { identity: {} as GatewayContext['identity'], requestId: 'fixture', operationCost: 0, identityTokenFor: async () => 'fixture-token' };
    const response = await server.executeOperation({ query: QUERY }, { contextValue: context });
    return response.body.kind === 'single' ? response.body.singleResult : null;
  } finally {
    await server.stop();
  }
}

describe('entity de-duplication with an @interfaceObject whose implementations share an id', () => {
  it('stock @apollo/gateway (the control) answers each position with its own type', async () => {
    const result = await run((_name, url) => new RemoteGraphQLDataSource({ url }));
    expect(result?.errors).toBeUndefined();
    expect(result?.data).toEqual({ media: EXPECTED });
    expect(ratingCalls).toEqual([[{ __typename: 'Media', id: 'm1' }, { __typename: 'Media', id: 'm1' }, { __typename: 'Media', id: 'm1' }]]);
  });

  it('our data source sends the entity once and still answers every position exactly like the control', async () => {
    const result = await run((name, url) => new PortalDataSource(name, url, 5000, createSubgraphBreaker({ failures: 5, halfOpenAfterMs: 10_000 })));
    expect(ratingCalls).toEqual([[{ __typename: 'Media', id: 'm1' }]]);
    expect(result?.errors).toBeUndefined();
    expect(result?.data).toEqual({ media: EXPECTED });
  });
});
