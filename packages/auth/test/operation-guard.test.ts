import { describe, expect, it } from 'vitest';
import { buildSchema, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { collectRequirements, evaluate, violationError, type Violation } from '../src/operation-guard.ts';
import { buildRequirementIndex, type RequirementIndex } from '../src/requirements.ts';
import { composedPortal } from './fixtures.ts';

const { supergraphSdl, apiSchema } = composedPortal();
const index = buildRequirementIndex(supergraphSdl);

function operationOf(query: string, operationName?: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && (!operationName || d.name?.value === operationName),
  )!;
  return { document, operation };
}

/** Violations for a caller: `null` scopes means anonymous. Asserts the query is valid against the API schema first. */
function check(query: string, scopes: string[] | null, schema: GraphQLSchema = apiSchema, idx: RequirementIndex = index, validateFirst = true): Violation[] {
  const { document, operation } = operationOf(query);
  if (validateFirst) expect(validate(schema, document)).toEqual([]);
  return evaluate(collectRequirements(schema, idx, document, operation), scopes !== null, new Set(scopes ?? []));
}

const summary = (vs: Violation[]) => vs.map((v) => `${v.path}:${v.missing.map((m) => m.join('+')).join('|')}`).sort();

describe('collectRequirements + evaluate on a composed supergraph', () => {
  const cases: [name: string, query: string, scopes: string[] | null, expected: string[]][] = [
    ['public field, anonymous', '{ version ping }', null, []],
    ['__typename only, anonymous', '{ __typename }', null, []],
    ['introspection is not guarded here', '{ __schema { queryType { name } } }', null, []],
    ['field-level scope, anonymous', '{ invoices { id } }', null, ['invoices:', 'invoices:']],
    ['field-level scope, held', '{ invoices { id total } }', ['billing:view'], []],
    ['field-level scope, missing', '{ invoices { id } }', ['smartlock:view'], ['invoices:billing:view', 'invoices:billing:view']],
    ['alias hides the field name', '{ bills: invoices { id } }', ['smartlock:view'], ['bills:billing:view', 'bills:billing:view']],
    ['alias on a nested guarded field', '{ invoices { note: internalNote } }', ['billing:view'], ['invoices.note:admin']],
    ['guarded on its return type only', '{ invoice(id: "1") { id } }', ['smartlock:view'], ['invoice:billing:view']],
    ['__typename under a guarded return type is still guarded', '{ invoice(id: "1") { __typename } }', ['smartlock:view'], ['invoice:billing:view']],
    ['guarded return type reached across subgraphs', '{ invoice(id: "1") { room { number } } }', ['billing:view'], []],
    ['nested field guarded across subgraphs', '{ invoice(id: "1") { room { rent } } }', ['billing:view'], []],
    ['@authenticated type, anonymous', '{ rooms { id } }', null, ['rooms:', 'rooms:']],
    ['@authenticated type, any session', '{ rooms { id number } }', [], []],
    ['field on an @authenticated type needing a scope', '{ rooms { rent } }', [], ['rooms.rent:billing:view']],
    ['guarded scalar', '{ secretValue }', ['billing:view'], ['secretValue:admin']],
    ['union return type: every member type requirement applies', '{ search { __typename } }', [], ['search:billing:view']],
    ['inline fragment on a guarded type', '{ search { ... on Notice { id } ... on Invoice { total } } }', [], ['search:billing:view', 'search<Invoice>:billing:view']],
    ['inline fragment on a guarded type, held', '{ search { ... on Invoice { total } } }', ['billing:view'], []],
    // Twice: once from Document.title (composition propagated it), once from Statement.title itself.
    ['interface field: every implementation requirement applies', '{ documents { id title } }', [], ['documents.title:cancellation:view', 'documents.title:cancellation:view']],
    ['interface field selected only through a public implementation is fine', '{ documents { ... on Notice { title } } }', [], []],
    ['inline fragment on the guarded implementation', '{ documents { ... on Statement { title } } }', [], ['documents.title:cancellation:view']],
    [
      'fragment spread on the interface selecting the guarded field',
      '{ documents { ...Doc } } fragment Doc on Document { t: title }',
      [],
      ['documents.t:cancellation:view', 'documents.t:cancellation:view'],
    ],
    ['fragment spread on the interface, held', '{ documents { ...Doc } } fragment Doc on Document { title }', ['cancellation:view'], []],
    [
      'nested named fragments',
      '{ ...Q } fragment Q on Query { documents { ...D } } fragment D on Document { ...S } fragment S on Statement { renamed: title }',
      [],
      ['documents.renamed:cancellation:view'],
    ],
    ['mutation field, missing', 'mutation { holdLine(id: "1") }', ['billing:view'], ['holdLine:billing:update']],
    ['OR-scopes: the first alternative suffices', 'mutation { urgentHold(id: "1") }', ['billing:update'], []],
    ['OR-scopes: the second alternative suffices', 'mutation { urgentHold(id: "1") }', ['admin'], []],
    ['OR-scopes: neither alternative', 'mutation { urgentHold(id: "1") }', ['billing:view'], ['urgentHold:billing:update|admin']],
    ['AND-scopes: one of two is not enough', 'mutation { fileAndHold(id: "1") }', ['billing:update'], ['fileAndHold:cancellation:request']],
    ['AND-scopes: both', 'mutation { fileAndHold(id: "1") }', ['cancellation:request', 'billing:update'], []],
    [
      'a public field does not launder a guarded sibling',
      '{ version a: invoices { id } b: rooms { id } }',
      [],
      ['a:billing:view', 'a:billing:view'],
    ],
  ];

  it.each(cases)('%s', (_name, query, scopes, expected) => {
    expect(summary(check(query, scopes))).toEqual([...expected].sort());
  });

  it('names both the interface field and the implementation field as rules', () => {
    expect(check('{ documents { title } }', []).map((v) => v.source).sort()).toEqual(['Document.title', 'Statement.title']);
  });

  it('gives the same requirements whoever asks (safe to cache per document)', () => {
    const { document, operation } = operationOf('{ invoices { id internalNote } }');
    const a = collectRequirements(apiSchema, index, document, operation);
    const b = collectRequirements(apiSchema, index, document, operation);
    expect(a).toEqual(b);
    expect(evaluate(a, true, new Set(['billing:view', 'admin']))).toEqual([]);
    expect(evaluate(a, true, new Set(['billing:view'])).map((v) => v.path)).toEqual(['invoices.internalNote']);
  });

  it('walks only the operation asked for', () => {
    const query = 'query Open { version } query Closed { invoices { id } }';
    const { document, operation } = operationOf(query, 'Open');
    expect(evaluate(collectRequirements(apiSchema, index, document, operation), false, new Set())).toEqual([]);
    const closed = operationOf(query, 'Closed');
    expect(evaluate(collectRequirements(apiSchema, index, closed.document, closed.operation), false, new Set())).not.toEqual([]);
  });
});

describe('collectRequirements on hand-written SDL (no composition help)', () => {
  const sdl = `
    directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
    directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
    type Query @authenticated { node: Node things: [Thing] me: String }
    interface Node { id: ID! secret: String }
    type Account implements Node { id: ID! secret: String @requiresScopes(scopes: [["admin"]]) }
    type Room implements Node { id: ID! secret: String }
    type Thing { id: ID! name: String child: Thing }
  `;
  const schema = buildSchema(sdl);
  const idx = buildRequirementIndex(sdl);

  it('applies a type-level requirement on the root type', () => {
    expect(summary(check('{ me }', null, schema, idx))).toEqual([':']);
    expect(check('{ me }', [], schema, idx)).toEqual([]);
  });

  it('an interface field carries every implementation requirement even without propagation', () => {
    expect(summary(check('{ node { secret } }', [], schema, idx))).toEqual(['node.secret:admin']);
    expect(summary(check('{ node { ...N } } fragment N on Node { s: secret }', [], schema, idx))).toEqual(['node.s:admin']);
  });

  it('survives cyclic fragments (invalid, but the guard must not loop)', () => {
    const query = '{ things { ...A } } fragment A on Thing { child { ...B } } fragment B on Thing { child { ...A } }';
    expect(() => check(query, [], schema, idx, false)).not.toThrow();
  });

  it('skips unknown fields and fragments instead of throwing (validation reports them)', () => {
    expect(check('{ nope { id } ...Missing }', [], schema, idx, false)).toEqual([]);
  });
});

describe('violationError', () => {
  const violations: Violation[] = [
    { path: 'invoices', missing: [['billing:view']], source: 'Query.invoices' },
    { path: 'invoices', missing: [['billing:view']], source: 'Invoice' },
    { path: 'urgentHold', missing: [['billing:update'], ['admin']], source: 'Mutation.urgentHold' },
  ];

  it('is UNAUTHENTICATED for an anonymous caller, with the distinct paths and no scope detail', () => {
    const error = violationError(violations, false);
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    expect(error.extensions.paths).toEqual(['invoices', 'urgentHold']);
    expect(error.extensions.forbidden).toBeUndefined();
  });

  it('is FORBIDDEN for a session, with paths, missing scopes and rules', () => {
    const error = violationError(violations, true);
    expect(error.extensions.code).toBe('FORBIDDEN');
    expect(error.extensions.forbidden).toEqual([
      { path: 'invoices', missingScopes: [['billing:view']], rule: 'Query.invoices' },
      { path: 'invoices', missingScopes: [['billing:view']], rule: 'Invoice' },
      { path: 'urgentHold', missingScopes: [['billing:update'], ['admin']], rule: 'Mutation.urgentHold' },
    ]);
    expect(error.message).toContain('invoices needs billing:view');
    expect(error.message).toContain('urgentHold needs billing:update or admin');
    // Duplicate path/scope lines are said once.
    expect(error.message.match(/invoices needs/g)).toHaveLength(1);
  });

  it('names the root for a root type requirement', () => {
    expect(violationError([{ path: '', missing: [['admin']], source: 'Query' }], true).message).toContain('(root) needs admin');
  });

  it('end to end: evaluate then violationError for an anonymous and a scoped caller', () => {
    const q = '{ x: invoices { id } }';
    expect(violationError(check(q, null), false).extensions).toMatchObject({ code: 'UNAUTHENTICATED', paths: ['x'] });
    expect(violationError(check(q, ['smartlock:view']), true).extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('collectRequirements on a fragment graph', () => {
  // Each fragment spreads the next twice at the same place: 2^30 spread paths, one walk per fragment.
  const doubling = (n: number, leaf: string) =>
    `{ ...F0 }\n${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join('\n')}\nfragment F${n} on Query { ${leaf} }`;

  it('walks each fragment once per place and still finds the requirement at the bottom', () => {
    const { document, operation } = operationOf(doubling(30, 'invoices { id }'));
    const guarded = collectRequirements(apiSchema, index, document, operation);
    expect(guarded.map((g) => g.path)).toEqual(['invoices']);
    expect(summary(evaluate(guarded, true, new Set(['smartlock:view'])))).toEqual(['invoices:billing:view', 'invoices:billing:view']);
  });

  it('keeps every distinct place a fragment is spread', () => {
    const { document, operation } = operationOf('{ a: invoices { ...I } b: invoices { ...I } } fragment I on Invoice { note: internalNote }');
    const paths = collectRequirements(apiSchema, index, document, operation).map((g) => g.path);
    expect(paths).toEqual(expect.arrayContaining(['a.note', 'b.note']));
  });
});
