import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildASTSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { z } from 'zod';
import { REPO_ROOT, findClientDocuments } from '@portal/schema-tools';
import { LOGIN_MUTATION, LOGOUT_MUTATION, WHO_AM_I_QUERY } from '@portal/graphiql/operations';
import { gatewayEnvShape, operationLimitsOf } from '../src/env.ts';
import { buildCostIndex } from '../src/cost-index.ts';
import { exceededLimit, measureDocument } from '../src/operation-limits.ts';
import { argumentList, minimalSelection, rootFieldOperation } from './operation-builder.ts';

/**
 * The default limits leave our own documents room: the client's operations, what GraphiQL sends
 * (its introspection query with every option, login, who-am-I, logout) and every operation the
 * permission matrix sends. Measured against the committed supergraph (the schema check keeps it
 * in step with the SDL).
 */
const supergraph = parse(readFileSync(`${REPO_ROOT}/supergraph.graphql`, 'utf8'));
const api = buildASTSchema(parse(readFileSync(`${REPO_ROOT}/schema/api.graphql`, 'utf8')));
const index = buildCostIndex(supergraph);
const limits = operationLimitsOf(z.object(gatewayEnvShape).parse({ DATABASE_URL: 'postgres://localhost/x', PORTAL_INTERNAL_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----' }));

function refusals(name: string, text: string): string[] {
  const doc = parse(text, { maxTokens: limits.tokens });
  return [...measureDocument(api, index, doc).values()].flatMap((m) => {
    const over = exceededLimit(m, limits);
    return over ? [`${name}: ${over.limit} ${over.value} > ${over.maximum}`] : [];
  });
}

describe('default operation limits', () => {
  it('are the documented ones', () => {
    expect(limits).toEqual({ tokens: 2000, aliases: 30, rootFields: 20, fragmentSpreads: 100, directives: 50, depth: 15, sensitiveFields: 1, cost: 25_000 });
  });

  it("accept GraphiQL's introspection query with every option, and its own operations", () => {
    const introspection = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    expect([...refusals('introspection', introspection), ...refusals('login', LOGIN_MUTATION), ...refusals('whoami', WHO_AM_I_QUERY), ...refusals('logout', LOGOUT_MUTATION)]).toEqual([]);
  });

  it("accept every operation of our client (client/src)", () => {
    const documents = findClientDocuments(REPO_ROOT);
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.flatMap((d) => refusals(`${d.file}:${d.line}`, d.body))).toEqual([]);
  });

  it('accept every operation the permission matrix sends (every root field, every field of Room)', () => {
    const problems: string[] = [];
    for (const kind of ['query', 'mutation'] as const) {
      const root = kind === 'query' ? api.getQueryType()! : api.getMutationType()!;
      for (const field of Object.values(root.getFields())) problems.push(...refusals(`${root.name}.${field.name}`, rootFieldOperation(api, kind, field.name)));
    }
    const room = api.getType('Room') as unknown as { getFields(): Record<string, Parameters<typeof minimalSelection>[0]> };
    for (const field of Object.values(room.getFields())) {
      problems.push(...refusals(`Room.${field.name}`, `{ rooms(first: 1) { edges { node { id ${field.name}${argumentList(field.args)} ${minimalSelection(field)} } } } }`));
    }
    expect(problems).toEqual([]);
  });

  it('accept a full page of the largest lists a screen shows, and refuse a fan-out through entity hops', () => {
    const invoicePage = '{ invoice(id: "1") { id lines(first: 100) { edges { node { id holds { id } room { id } } } } } }';
    expect(refusals('invoice page', invoicePage)).toEqual([]);
    // gateway/test/federation.test.ts: 100 rooms with every subgraph's fields (cost 14,701)
    const roomList = '{ rooms(first: 100) { edges { node { id lease { contractNumber } invoiceLines { total } residents { name } smartlockRecipient { recipientCode } fireInsurance { policyNumber } } } } }';
    expect(refusals('room list', roomList)).toEqual([]);
    const fanOut = '{ rooms(first: 200) { edges { node { invoiceLines { room { invoiceLines { id } } } } } } }';
    expect([...validate(api, parse(invoicePage)), ...validate(api, parse(fanOut))]).toEqual([]);
    expect(refusals('fan-out', fanOut)).toHaveLength(1);
  });
});
