import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';

/** The subgraph `@link` every real subgraph of the portal uses. */
export const FED_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@tag"])`;

/** A tiny billing subgraph: a type-guarded entity, OR/AND scopes, an interface, a union, a guarded scalar. */
export const BILLING_SDL = `${FED_LINK}

scalar Secret @requiresScopes(scopes: [["admin"]])

type Query {
  invoices: [Invoice!]! @requiresScopes(scopes: [["billing:view"]])
  "Guarded only through the type it returns."
  invoice(id: ID!): Invoice
  documents: [Document!]! @authenticated
  search: [SearchResult!]! @authenticated
  secretValue: Secret @authenticated
  version: String! @tag(name: "public")
}

type Mutation {
  holdLine(id: ID!): Boolean @requiresScopes(scopes: [["billing:update"]])
  "OR: either alternative suffices."
  urgentHold(id: ID!): Boolean @requiresScopes(scopes: [["billing:update"], ["admin"]])
  "AND: both scopes of the single alternative."
  fileAndHold(id: ID!): Boolean @requiresScopes(scopes: [["billing:update", "cancellation:request"]])
}

type Invoice @key(fields: "id") @requiresScopes(scopes: [["billing:view"]]) {
  id: ID!
  total: Int!
  internalNote: String @requiresScopes(scopes: [["admin"]])
}

interface Document {
  id: ID!
  title: String!
}

type Statement implements Document {
  id: ID!
  title: String! @requiresScopes(scopes: [["cancellation:view"]])
}

type Notice implements Document {
  id: ID!
  title: String!
}

union SearchResult = Invoice | Notice
`;

/** A tiny tenancy subgraph: an @authenticated entity, and a field it adds to billing's Invoice. */
export const TENANCY_SDL = `${FED_LINK}

type Query {
  rooms: [Room!]! @authenticated
  ping: String @tag(name: "public")
}

type Room @key(fields: "id") @authenticated {
  id: ID!
  number: String!
  rent: Int @requiresScopes(scopes: [["billing:view"]])
}

type Invoice @key(fields: "id") {
  id: ID!
  room: Room
}
`;

export interface Composed {
  supergraphSdl: string;
  /** The API schema clients see (what @apollo/gateway hands to plugins). */
  apiSchema: GraphQLSchema;
}

/** Composes subgraphs with @apollo/composition, failing loudly on composition errors. */
export function compose(subgraphs: Record<string, string>): Composed {
  const result = composeServices(
    Object.entries(subgraphs).map(([name, sdl]) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl) })),
  );
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}

export const composedPortal = (): Composed => compose({ billing: BILLING_SDL, tenancy: TENANCY_SDL });
