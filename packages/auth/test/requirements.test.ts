import { describe, expect, it } from 'vitest';
import { authDirectiveNames, buildRequirementIndex, countAuthDirectives, meets, missingScopes, type Requirement } from '../src/requirements.ts';
import { BILLING_SDL, FED_LINK, compose, composedPortal } from './fixtures.ts';
import { parse } from 'graphql';

const scopesOf = (reqs: readonly Requirement[] | undefined) => (reqs ?? []).map((r) => ({ authenticated: r.authenticated, scopes: r.scopes, source: r.source }));

describe('buildRequirementIndex (subgraph SDL)', () => {
  const index = buildRequirementIndex(BILLING_SDL);

  it('reads type-level directives on objects and scalars', () => {
    expect(scopesOf(index.types.get('Invoice'))).toEqual([{ authenticated: true, scopes: [['billing:view']], source: 'Invoice' }]);
    expect(scopesOf(index.types.get('Secret'))).toEqual([{ authenticated: true, scopes: [['admin']], source: 'Secret' }]);
    expect(index.types.has('Notice')).toBe(false);
  });

  it('reads field-level directives, @authenticated without scopes', () => {
    expect(scopesOf(index.fields.get('Query.documents'))).toEqual([{ authenticated: true, scopes: null, source: 'Query.documents' }]);
    expect(scopesOf(index.fields.get('Invoice.internalNote'))).toEqual([{ authenticated: true, scopes: [['admin']], source: 'Invoice.internalNote' }]);
    expect(index.fields.has('Query.invoice')).toBe(false);
  });

  it('keeps the OR-of-AND shape of scopes', () => {
    expect(index.fields.get('Mutation.urgentHold')![0]!.scopes).toEqual([['billing:update'], ['admin']]);
    expect(index.fields.get('Mutation.fileAndHold')![0]!.scopes).toEqual([['billing:update', 'cancellation:request']]);
  });

  it('records explicitly public fields', () => {
    expect([...index.publicFields]).toEqual(['Query.version']);
  });

  it('counts every occurrence, and agrees with countAuthDirectives', () => {
    // Secret, Query.invoices, documents, search, secretValue, 3 mutations, Invoice, Invoice.internalNote, Statement.title
    expect(index.occurrences).toBe(11);
    expect(countAuthDirectives(BILLING_SDL)).toBe(11);
  });

  it('reads interface, enum and extension definitions, and several directives on one field', () => {
    const idx = buildRequirementIndex(`
      interface Node @authenticated { id: ID! @requiresScopes(scopes: [["a"]]) }
      enum Level @requiresScopes(scopes: [["admin"]]) { LOW HIGH }
      type Query { level: Level }
      extend type Query { both: String @authenticated @requiresScopes(scopes: [["x"]]) }
      extend enum Level @authenticated
    `);
    expect(idx.types.get('Node')).toHaveLength(1);
    expect(idx.fields.get('Node.id')).toHaveLength(1);
    expect(idx.types.get('Level')!.map((r) => r.scopes)).toEqual([[['admin']], null]);
    expect(idx.fields.get('Query.both')).toHaveLength(2);
    expect(idx.occurrences).toBe(6);
  });

  it('coerces a single scope string and treats a missing scopes argument as unsatisfiable', () => {
    const idx = buildRequirementIndex(`type Query { a: String @requiresScopes(scopes: "admin") b: String @requiresScopes }`);
    expect(idx.fields.get('Query.a')![0]!.scopes).toEqual([['admin']]);
    const b = idx.fields.get('Query.b')![0]!;
    expect(b.scopes).toEqual([]);
    expect(meets(b, true, new Set(['admin', 'billing:view']))).toBe(false);
  });

  it('accepts a parsed document as well as a string', () => {
    expect(buildRequirementIndex(parse(BILLING_SDL)).occurrences).toBe(11);
  });
});

describe('auth directive names', () => {
  it('defaults to the plain names', () => {
    const names = authDirectiveNames(parse(BILLING_SDL));
    expect(names.authenticated.has('authenticated')).toBe(true);
    expect(names.requiresScopes.has('requiresScopes')).toBe(true);
  });

  it('follows `@link(url: ".../requiresScopes/v0.1", as: ...)` in a supergraph', () => {
    const sdl = `
      schema
        @link(url: "https://specs.apollo.dev/link/v1.0")
        @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "signedIn", for: SECURITY)
        @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "needs", for: SECURITY)
      { query: Query }
      type Query { a: String @signedIn b: String @needs(scopes: [["admin"]]) }
    `;
    const idx = buildRequirementIndex(sdl);
    expect(idx.fields.get('Query.a')![0]).toMatchObject({ authenticated: true, scopes: null });
    expect(idx.fields.get('Query.b')![0]).toMatchObject({ scopes: [['admin']] });
    expect(idx.occurrences).toBe(2);
    expect(countAuthDirectives(sdl)).toBe(2);
  });

  // Bypass: a subgraph that renames the directive on import (or uses the namespaced `@federation__requiresScopes`)
  // composes to a supergraph whose @link says `import: [{name: "@requiresScopes", as: "@scopes"}]`. Such
  // directives must be indexed, or neither the gateway nor the subgraph enforces them (and both counts agree on 0).
  it.each([
    ['renamed on import', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", {name: "@requiresScopes", as: "@scopes"}, {name: "@authenticated", as: "@loggedIn"}])`, '@scopes', '@loggedIn'],
    ['namespaced, not imported', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`, '@federation__requiresScopes', '@federation__authenticated'],
    ['namespaced under a renamed federation link', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", as: "fed", import: ["@key"])`, '@fed__requiresScopes', '@fed__authenticated'],
  ])('indexes directives %s, in the subgraph and in the composed supergraph', (_name, link, scopesName, authName) => {
    const subgraph = `${link}
      type Query { secret: String ${scopesName}(scopes: [["admin"]]) mine: String ${authName} open: String }`;
    const sub = buildRequirementIndex(subgraph);
    expect(sub.fields.get('Query.secret')![0]).toMatchObject({ scopes: [['admin']] });
    expect(sub.fields.get('Query.mine')![0]).toMatchObject({ authenticated: true, scopes: null });
    expect(sub.occurrences).toBe(2);
    expect(countAuthDirectives(subgraph)).toBe(2);

    const { supergraphSdl } = compose({ a: subgraph, b: `${FED_LINK}\n type Query { ping: String }` });
    const sup = buildRequirementIndex(supergraphSdl);
    expect(sup.fields.get('Query.secret')?.[0]).toMatchObject({ scopes: [['admin']] });
    expect(sup.fields.get('Query.mine')?.[0]).toMatchObject({ authenticated: true, scopes: null });
    expect(sup.fields.has('Query.open')).toBe(false);
    expect(sup.occurrences).toBe(2);
    expect(countAuthDirectives(supergraphSdl)).toBe(2);
  });
});

describe('buildRequirementIndex (composed supergraph)', () => {
  const { supergraphSdl } = composedPortal();
  const index = buildRequirementIndex(supergraphSdl);

  it('is composed with the SECURITY purpose', () => {
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
  });

  it('carries type-level directives across subgraphs onto the merged type', () => {
    expect(index.types.get('Invoice')!.map((r) => r.scopes)).toEqual([[['billing:view']]]);
    expect(index.types.get('Room')!.map((r) => r.scopes)).toEqual([null]);
  });

  it('carries field-level directives', () => {
    expect(index.fields.get('Mutation.urgentHold')![0]!.scopes).toEqual([['billing:update'], ['admin']]);
    expect(index.fields.get('Room.rent')![0]!.scopes).toEqual([['billing:view']]);
    expect(index.fields.has('Invoice.room')).toBe(false);
  });

  it('has the implementation requirement on the interface field (composition propagates it)', () => {
    expect(index.fields.get('Document.title')?.map((r) => r.scopes)).toEqual([[['cancellation:view']]]);
  });

  it('indexes every directive occurrence the supergraph holds', () => {
    expect(index.occurrences).toBeGreaterThanOrEqual(14);
    expect(index.occurrences).toBe(countAuthDirectives(supergraphSdl));
  });
});

describe('countAuthDirectives', () => {
  it('counts directives in places the index does not read, so a mismatch is detectable', () => {
    const sdl = `
      directive @requiresScopes(scopes: [[String]]) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM | UNION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
      type Query { a(x: Int @requiresScopes(scopes: [["admin"]])): String @authenticated }
      union U @authenticated = Query
      input I { f: String @requiresScopes(scopes: [["admin"]]) }
    `;
    expect(countAuthDirectives(sdl)).toBe(4);
    expect(buildRequirementIndex(sdl).occurrences).toBe(1);
  });

  it('ignores directive definitions and unrelated directives', () => {
    expect(countAuthDirectives(`directive @authenticated on FIELD_DEFINITION\n type Query { a: String @deprecated b: String @tag(name: "public") }`)).toBe(0);
  });
});

describe('meets / missingScopes', () => {
  const req = (scopes: string[][] | null): Requirement => ({ authenticated: true, scopes, source: 'T.f' });
  const cases: [string, string[][] | null, boolean, string[], boolean, string[][]][] = [
    ['@authenticated, anonymous', null, false, [], false, []],
    ['@authenticated, any session', null, true, [], true, []],
    ['scopes, anonymous with the scope claimed', [['admin']], false, ['admin'], false, [[]]],
    ['single scope held', [['billing:view']], true, ['billing:view'], true, [[]]],
    ['single scope missing', [['billing:view']], true, ['smartlock:view'], false, [['billing:view']]],
    ['OR: first alternative suffices', [['billing:update'], ['admin']], true, ['billing:update'], true, [[], ['admin']]],
    ['OR: second alternative suffices', [['billing:update'], ['admin']], true, ['admin'], true, [['billing:update'], []]],
    ['OR: neither', [['billing:update'], ['admin']], true, ['billing:view'], false, [['billing:update'], ['admin']]],
    ['AND: only one of two', [['billing:update', 'cancellation:request']], true, ['billing:update'], false, [['cancellation:request']]],
    ['AND: both', [['billing:update', 'cancellation:request']], true, ['cancellation:request', 'billing:update'], true, [[]]],
    ['no alternatives at all never passes', [], true, ['admin'], false, []],
  ];
  it.each(cases)('%s', (_name, scopes, authenticated, held, expected, missing) => {
    expect(meets(req(scopes), authenticated, new Set(held))).toBe(expected);
    expect(missingScopes(req(scopes), new Set(held))).toEqual(missing);
  });
});
