import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { ApolloGateway } from '@apollo/gateway';
import { GraphQLError, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { anonymousIdentity, type Identity } from '@portal/auth';
import { loadSupergraph, subgraphUrlsOf } from '../src/supergraph.ts';
import { assertEnforcementInstalled } from '../src/gateway.ts';
import { AUTH_PLUGIN_MARK, createAuthPlugin } from '../src/auth-plugin.ts';
import type { GatewayContext } from '../src/context.ts';

const link = (imports: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [${imports}])`;
const FED = link('"@key", "@authenticated", "@requiresScopes", "@tag"');

const BILLING = `${FED}
type Query {
  invoices: [Invoice!]! @requiresScopes(scopes: [["billing:view"]])
  invoice(id: ID!): Invoice
  version: String @tag(name: "public")
}
type Mutation { urgentHold(id: ID!): Boolean @requiresScopes(scopes: [["billing:update"], ["admin"]]) }
type Invoice @key(fields: "id") @requiresScopes(scopes: [["billing:view"]]) { id: ID! total: Int! }
`;
const TENANCY = `${FED}
type Query { rooms: [Room!]! @authenticated }
type Room @key(fields: "id") @authenticated { id: ID! number: String! }
`;

function compose(subgraphs: Record<string, string>) {
  const result = composeServices(Object.entries(subgraphs).map(([name, sdl]) => ({ name, url: `http://127.0.0.1:1/${name}`, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
  return { sdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}

const composed = compose({ billing: BILLING, tenancy: TENANCY });

describe('loadSupergraph', () => {
  const loaded = loadSupergraph(composed.sdl);

  it('starts from a committed supergraph that @apollo/gateway would refuse (for: SECURITY)', () => {
    expect(composed.sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/requiresScopes\/v0\.1", for: SECURITY\)/);
    expect(() => Supergraph.build(composed.sdl)).toThrow(/for: SECURITY but is unsupported/);
  });

  it('strips `for:` from the authenticated and requiresScopes links only', () => {
    expect(loaded.gatewaySdl).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1")');
    expect(loaded.gatewaySdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1")');
    expect(loaded.gatewaySdl).not.toContain('SECURITY)');
    expect(loaded.gatewaySdl).toContain('@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)');
  });

  it('keeps every directive occurrence in the SDL it hands on', () => {
    const count = (s: string) => (s.match(/@(requiresScopes|authenticated)\(|@authenticated\b(?!\()/g) ?? []).length;
    expect(count(loaded.gatewaySdl)).toBe(count(composed.sdl));
  });

  it('indexes the directives from the committed SDL, all of them', () => {
    expect(loaded.index.fields.get('Query.invoices')![0]!.scopes).toEqual([['billing:view']]);
    expect(loaded.index.types.get('Invoice')![0]!.scopes).toEqual([['billing:view']]);
    expect(loaded.index.types.get('Room')![0]!.scopes).toBeNull();
    expect(loaded.directiveCount).toBe(5); // Query.invoices, Mutation.urgentHold, Invoice, Query.rooms, Room
    expect(loaded.index.occurrences).toBe(loaded.directiveCount);
  });

  it('produces SDL the federation loader and @apollo/gateway accept', async () => {
    expect(() => Supergraph.build(loaded.gatewaySdl)).not.toThrow();
    const gateway = new ApolloGateway({ supergraphSdl: loaded.gatewaySdl, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    try {
      const { schema } = await gateway.load();
      expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(['invoice', 'invoices', 'rooms', 'version']);
    } finally {
      await gateway.stop();
    }
  });

  it('counts and indexes directives a subgraph renamed on import (no silent 0 = 0)', () => {
    const renamed = compose({
      billing: `${link('"@key", {name: "@requiresScopes", as: "@scopes"}')}\n type Query { invoices: [String] @scopes(scopes: [["billing:view"]]) }`,
      tenancy: TENANCY,
    });
    const l = loadSupergraph(renamed.sdl);
    expect(l.index.fields.get('Query.invoices')?.[0]?.scopes).toEqual([['billing:view']]);
    expect(l.directiveCount).toBe(3);
    expect(l.index.occurrences).toBe(3);
  });
});

describe('assertEnforcementInstalled', () => {
  const plugin = createAuthPlugin(loadSupergraph(composed.sdl).index);

  it('passes with the enforcement plugin and every directive indexed', () => {
    expect(plugin[AUTH_PLUGIN_MARK]).toBe(true);
    expect(() => assertEnforcementInstalled([{}, plugin], 6, 6)).not.toThrow();
  });

  it('refuses to start without the enforcement plugin', () => {
    expect(() => assertEnforcementInstalled([{}, { requestDidStart() {} }], 6, 6)).toThrow(/plugin is not installed/);
    expect(() => assertEnforcementInstalled([], 0, 0)).toThrow(/plugin is not installed/);
  });

  it('refuses to start when a directive is present but not enforced', () => {
    expect(() => assertEnforcementInstalled([plugin], 5, 6)).toThrow(/6 auth directives in the supergraph but 5 enforced/);
  });

  it('refuses a supergraph holding a directive where the index cannot read it', () => {
    const sdl = composed.sdl.replace('type Query', 'directive @extraAuth on FIELD_DEFINITION\ntype Query').replace(
      'version: String',
      'version(x: Int @authenticated): String',
    );
    const l = loadSupergraph(sdl);
    expect(l.directiveCount).toBe(l.index.occurrences + 1);
    expect(() => assertEnforcementInstalled([plugin], l.index.occurrences, l.directiveCount)).toThrow(/Refusing to start/);
  });
});

describe('auth plugin (gateway enforcement)', () => {
  const { index } = loadSupergraph(composed.sdl);
  const member = (...scopes: string[]): Identity => ({
    kind: 'member',
    accountId: 'a',
    memberId: 'm',
    sessionId: 's',
    scopes: new Set(scopes) as Identity['scopes'],
    clientIp: '203.0.113.7',
    requestId: 'r',
  });

  async function resolve(plugin: ReturnType<typeof createAuthPlugin>, source: string, identity: Identity, schema: GraphQLSchema = composed.apiSchema) {
    const document = parse(source);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    const hooks = await plugin.requestDidStart!({} as never);
    const contextValue = { identity } as GatewayContext;
    try {
      await hooks!.didResolveOperation!({ document, operation, contextValue, schema, source, operationName: operation.name?.value ?? null } as never);
      return null;
    } catch (e) {
      return e as GraphQLError;
    }
  }

  it('lets a permitted operation through', async () => {
    expect(await resolve(createAuthPlugin(index), '{ invoices { id } }', member('billing:view'))).toBeNull();
  });

  it('refuses an anonymous caller with UNAUTHENTICATED, HTTP 200', async () => {
    const error = await resolve(createAuthPlugin(index), '{ x: invoices { id } }', anonymousIdentity('203.0.113.7', 'r'));
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', paths: ['x'], http: { status: 200 } });
  });

  it('refuses a member without the scope with FORBIDDEN', async () => {
    const error = await resolve(createAuthPlugin(index), 'mutation { urgentHold(id: "1") }', member('billing:view'));
    expect(error!.extensions).toMatchObject({ code: 'FORBIDDEN', forbidden: [{ path: 'urgentHold', missingScopes: [['billing:update'], ['admin']] }] });
  });

  it('caches per document, not per caller: a permitted caller first does not open the door for the next', async () => {
    const plugin = createAuthPlugin(index);
    const q = '{ invoice(id: "1") { total } rooms { number } }';
    expect(await resolve(plugin, q, member('billing:view'))).toBeNull();
    expect((await resolve(plugin, q, member()))!.extensions.code).toBe('FORBIDDEN');
    expect((await resolve(plugin, q, anonymousIdentity('203.0.113.7', 'r')))!.extensions.code).toBe('UNAUTHENTICATED');
    expect(await resolve(plugin, q, member('billing:view'))).toBeNull();
  });
});

describe('subgraphUrlsOf', () => {
  it('reads every subgraph and its URL from the join__Graph enum of the parsed supergraph', () => {
    expect(loadSupergraph(composed.sdl).subgraphUrls).toEqual(new Map([
      ['billing', 'http://127.0.0.1:1/billing'],
      ['tenancy', 'http://127.0.0.1:1/tenancy'],
    ]));
  });

  it('does not depend on the printed form: argument order, line breaks and escapes', () => {
    const doc = parse(`enum join__Graph {
      A @join__graph(url: "http://a.internal:4001/graphql?x=\\"1\\"", name: "a")
      B @join__graph(
        name: "b"
        url: "http://b.internal/graphql"
      )
    }
    enum Other { C @join__graph(name: "c", url: "http://c") }`);
    expect(subgraphUrlsOf(doc)).toEqual(new Map([
      ['a', 'http://a.internal:4001/graphql?x="1"'],
      ['b', 'http://b.internal/graphql'],
    ]));
  });
});
