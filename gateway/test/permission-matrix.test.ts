import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, getNamedType, isInterfaceType, isObjectType, parse, type GraphQLSchema, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { buildRequirementIndex, type RequirementIndex } from '@portal/auth';
import { REPO_ROOT, SUBGRAPHS, composeRepo } from '@portal/schema-tools';
import { readSubgraphSdl } from '@portal/schema-tools/subgraphs';
import { loadDemoData, defaultDemoOptions, DEMO_PASSWORD } from '@portal/demo-data';
import { startStack, type Stack, type SubgraphName } from '@portal/testing';
import { argumentList, minimalSelection, rootFieldOperation } from './operation-builder.ts';

/**
 * Every guarded field of the API, tried with every demo account: what the account's permissions
 * deny is refused with FORBIDDEN at the gateway, and the same request sent straight to the owning
 * subgraph with a valid identity for that account is refused by the subgraph. The expected scopes
 * are written out here from DOMAIN.md, not computed by the code under test.
 */
const DEMO_SCOPES: Record<string, string[]> = {
  'demo-admin': ['billing:view', 'billing:update', 'cancellation:view', 'cancellation:request', 'residents:use', 'smartlock:view', 'smartlock:use', 'fire-insurance:view', 'fire-insurance:use', 'access-restriction:manage', 'admin'],
  'demo-clerk': ['billing:view', 'billing:update', 'cancellation:view', 'cancellation:request', 'residents:use', 'smartlock:view', 'smartlock:use', 'fire-insurance:view', 'fire-insurance:use'],
  'demo-viewer': ['billing:view', 'cancellation:view', 'smartlock:view', 'fire-insurance:view'],
  'demo-none': ['billing:view'],
  'mini-admin': ['billing:view', 'billing:update', 'cancellation:view', 'cancellation:request', 'residents:use', 'smartlock:view', 'smartlock:use', 'fire-insurance:view', 'fire-insurance:use', 'access-restriction:manage', 'admin'],
};

interface Target {
  /** Human name, e.g. `Query.invoices` or `Room.residents`. */
  coordinate: string;
  gatewayOperation: string;
  owner: SubgraphName;
  subgraphOperation: string;
  /** Scope alternatives (OR of AND), all of which must hold (one entry per directive). */
  requirements: (readonly (readonly string[])[] | null)[];
  mutation: boolean;
}

let stack: Stack;
let schema: GraphQLSchema;
let index: RequirementIndex;
const tokens: Record<string, string> = {};
const accountIds: Record<string, string> = {};
let sampleRoomId = '';

function ownerOf(typeName: string, fieldName: string): SubgraphName {
  for (const s of SUBGRAPHS) {
    const doc = parse(readSubgraphSdl(`${REPO_ROOT}/${s.dir}`));
    const defines = doc.definitions.some(
      (d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === typeName && (d as ObjectTypeDefinitionNode | ObjectTypeExtensionNode).fields?.some((f) => f.name.value === fieldName && !f.directives?.some((x) => x.name.value === 'external')),
    );
    if (defines) return s.name as SubgraphName;
  }
  throw new Error(`no subgraph defines ${typeName}.${fieldName}`);
}

function requirementsOf(typeName: string, fieldName: string): Target['requirements'] {
  // Narrowed instead of cast: the old cast to `{ type: never }` did not type-check (tsc -p gateway).
  const type = schema.getType(typeName);
  if (!isObjectType(type) && !isInterfaceType(type)) throw new Error(`${typeName} has no fields`);
  const field = type.getFields()[fieldName]!;
  const reqs = [...(index.fields.get(`${typeName}.${fieldName}`) ?? []), ...(index.types.get(typeName) ?? []), ...(index.types.get(getNamedType(field.type).name) ?? [])];
  return reqs.map((r) => r.scopes);
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const kind of ['query', 'mutation'] as const) {
    const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (index.publicFields.has(`${root!.name}.${field.name}`)) continue;
      const op = rootFieldOperation(schema, kind, field.name);
      out.push({ coordinate: `${root!.name}.${field.name}`, gatewayOperation: op, owner: ownerOf(root!.name, field.name), subgraphOperation: op, requirements: requirementsOf(root!.name, field.name), mutation: kind === 'mutation' });
    }
  }
  const room = schema.getType('Room') as { getFields(): Record<string, Parameters<typeof minimalSelection>[0]> };
  for (const field of Object.values(room.getFields())) {
    const owner = ownerOf('Room', field.name);
    if (owner === 'tenancy') continue;
    const selection = `${field.name}${argumentList(field.args)} ${minimalSelection(field)}`;
    out.push({
      coordinate: `Room.${field.name}`,
      gatewayOperation: `{ rooms(first: 1) { edges { node { id ${selection} } } } }`,
      owner,
      subgraphOperation: `{ _entities(representations: [{ __typename: "Room", id: "${sampleRoomId}" }]) { ... on Room { ${selection} } } }`,
      requirements: requirementsOf('Room', field.name),
      mutation: false,
    });
  }
  return out;
}

const allowed = (scopes: readonly string[], reqs: Target['requirements']) => reqs.every((r) => r === null || r.some((all) => all.every((s) => scopes.includes(s))));
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

beforeAll(async () => {
  stack = await startStack();
  await loadDemoData(stack.database.url, defaultDemoOptions(new Date('2026-11-22T00:00:00Z')));
  const composed = composeRepo(REPO_ROOT);
  if (!composed.ok) throw new Error('composition failed');
  schema = composed.apiSchema;
  index = buildRequirementIndex(composed.supergraphSdl);
  for (const loginId of Object.keys(DEMO_SCOPES)) {
    tokens[loginId] = await stack.login(loginId, DEMO_PASSWORD);
    accountIds[loginId] = (await stack.sql<{ id: string }>('select id from tenancy.account where login_id = $1', [loginId]))[0]!.id;
  }
  sampleRoomId = (await stack.sql<{ id: string }>("select r.id from tenancy.room r join tenancy.member m on m.id = r.member_id where m.member_number = '10000001' limit 1"))[0]!.id;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('permission matrix over every guarded field', () => {
  it('has guarded fields in every area the schema exposes', () => {
    const all = targets();
    expect(all.length).toBeGreaterThan(5);
    expect(all.some((t) => t.owner === 'billing')).toBe(true);
  });

  for (const loginId of Object.keys(DEMO_SCOPES)) {
    it(`${loginId}: denied fields are FORBIDDEN at the gateway and at the subgraph; allowed queries are not refused`, async () => {
      const scopes = DEMO_SCOPES[loginId]!;
      const problems: string[] = [];
      let denied = 0;
      for (const target of targets()) {
        const may = allowed(scopes, target.requirements);
        if (may && target.mutation) continue; // never run a mutation just to see it allowed
        const viaGateway = await stack.gql(target.gatewayOperation, {}, { token: tokens[loginId] });
        const gatewayCodes = codes(viaGateway.body);
        if (!may) {
          denied++;
          if (!gatewayCodes.includes('FORBIDDEN')) problems.push(`${target.coordinate} not refused at the gateway: ${JSON.stringify(viaGateway.body).slice(0, 200)}`);
          if (viaGateway.body.data) problems.push(`${target.coordinate} returned data with the refusal`);
          const direct = await stack.callSubgraph(target.owner, target.subgraphOperation, {}, { accountId: accountIds[loginId] });
          if (!codes(direct.body).includes('FORBIDDEN')) problems.push(`${target.coordinate} not refused by ${target.owner}: ${JSON.stringify(direct.body).slice(0, 200)}`);
        } else if (gatewayCodes.some((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED')) {
          problems.push(`${target.coordinate} refused although allowed: ${JSON.stringify(viaGateway.body).slice(0, 200)}`);
        }
      }
      expect(problems).toEqual([]);
      if (loginId === 'demo-none' || loginId === 'demo-viewer') expect(denied).toBeGreaterThan(0);
    }, 120_000);
  }
});
