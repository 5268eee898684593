import { describe, expect, it } from 'vitest';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { guardSubgraphSchema, type GuardReport, type GuardSubject } from '../src/schema-guard.ts';
import { buildRequirementIndex } from '../src/requirements.ts';
import { BILLING_SDL, TENANCY_SDL } from './fixtures.ts';

interface Ctx {
  subject: GuardSubject;
}

/** A billing subgraph with real resolvers, guarded; counts how often rows were loaded. */
function billingSubgraph(sdl = BILLING_SDL) {
  const loads = { invoices: 0, references: 0, mutations: 0 };
  const invoice = (id: string) => ({ id, total: 1000 * Number(id), internalNote: `note ${id}` });
  const resolvers = {
    Query: {
      invoices: () => {
        loads.invoices++;
        return [invoice('1'), invoice('2')];
      },
      invoice: (_: unknown, { id }: { id: string }) => {
        loads.invoices++;
        return invoice(id);
      },
      documents: () => [
        { __typename: 'Statement', id: 's1', title: 'settlement' },
        { __typename: 'Notice', id: 'n1', title: 'notice' },
      ],
      search: () => [{ __typename: 'Notice', id: 'n1', title: 'notice' }, { __typename: 'Invoice', ...invoice('3') }],
      secretValue: () => 'the secret',
      version: () => '1.0',
    },
    Mutation: {
      holdLine: () => {
        loads.mutations++;
        return true;
      },
      urgentHold: () => {
        loads.mutations++;
        return true;
      },
      fileAndHold: () => {
        loads.mutations++;
        return true;
      },
    },
    Invoice: {
      __resolveReference: (ref: { id: string }) => {
        loads.references++;
        return invoice(ref.id);
      },
    },
    Document: { __resolveType: (d: { __typename: string }) => d.__typename },
    SearchResult: { __resolveType: (d: { __typename: string }) => d.__typename },
  };
  const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: resolvers as never }]);
  const report = guardSubgraphSchema(schema, buildRequirementIndex(sdl), (ctx) => (ctx as Ctx).subject);
  return { schema, report, loads };
}

const anonymous: GuardSubject = { authenticated: false, scopes: new Set() };
const as = (...scopes: string[]): GuardSubject => ({ authenticated: true, scopes: new Set(scopes) });

async function run(schema: GraphQLSchema, query: string, subject: GuardSubject, variableValues?: Record<string, unknown>): Promise<ExecutionResult> {
  return (await execute({ schema, document: parse(query), contextValue: { subject } satisfies Ctx, variableValues })) as ExecutionResult;
}
const codes = (r: ExecutionResult) => (r.errors ?? []).map((e) => e.extensions.code);

describe('guardSubgraphSchema', () => {
  it('covers every directive occurrence and reports it', () => {
    const { report } = billingSubgraph();
    const expected: GuardReport = { guardedFields: report.guardedFields, coveredOccurrences: buildRequirementIndex(BILLING_SDL).occurrences };
    expect(report).toEqual(expected);
    expect(report.guardedFields).toBeGreaterThanOrEqual(10);
  });

  it('lets a public field through for an anonymous caller', async () => {
    const { schema } = billingSubgraph();
    const r = await run(schema, '{ version __typename }', anonymous);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ version: '1.0', __typename: 'Query' });
  });

  it('refuses an anonymous caller with UNAUTHENTICATED before the resolver runs', async () => {
    const { schema, loads } = billingSubgraph();
    const r = await run(schema, '{ bills: invoices { id } }', anonymous);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect(r.errors![0]!.path).toEqual(['bills']);
    expect(loads.invoices).toBe(0);
  });

  it('refuses a session without the scope with FORBIDDEN, rule and missing scopes', async () => {
    const { schema, loads } = billingSubgraph();
    const r = await run(schema, '{ invoices { id } }', as('smartlock:view'));
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.errors![0]!.extensions).toMatchObject({ rule: 'Query.invoices', missingScopes: [['billing:view']] });
    expect(loads.invoices).toBe(0);
  });

  it('serves the field with the scope, and guards a nested field on its own', async () => {
    const { schema } = billingSubgraph();
    const ok = await run(schema, '{ invoices { id total } }', as('billing:view'));
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ invoices: [{ id: '1', total: 1000 }, { id: '2', total: 2000 }] });
    const note = await run(schema, '{ invoice(id: "1") { id n: internalNote } }', as('billing:view'));
    expect(note.data).toEqual({ invoice: { id: '1', n: null } });
    expect(note.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'Invoice.internalNote', missingScopes: [['admin']] });
    const admin = await run(schema, '{ invoice(id: "1") { internalNote } }', as('billing:view', 'admin'));
    expect(admin).toEqual({ data: { invoice: { internalNote: 'note 1' } } });
  });

  it('guards a field through the type it returns (no directive on the field itself)', async () => {
    const { schema, loads } = billingSubgraph();
    const r = await run(schema, '{ invoice(id: "1") { __typename } }', as('smartlock:view'));
    expect(r.data).toEqual({ invoice: null });
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'Invoice' });
    expect(loads.invoices).toBe(0);
  });

  it('guards every field of a guarded type, even reached through a union', async () => {
    const { schema } = billingSubgraph();
    const r = await run(schema, '{ search { __typename ... on Notice { title } ... on Invoice { total } } }', as());
    // Invoice.total and the list items are non-null, so the refusal nulls the whole (non-null) result.
    expect(r.data).toBeNull();
    expect(r.errors!.map((e) => [e.path, e.extensions.code, e.extensions.rule])).toEqual([[['search', 1, 'total'], 'FORBIDDEN', 'Invoice']]);
  });

  it('guards an implementation field selected through its interface', async () => {
    const { schema } = billingSubgraph();
    const r = await run(schema, '{ documents { ...D } } fragment D on Document { id title }', as());
    expect(r.data).toBeNull(); // title, the items and documents are non-null: the refusal nulls the result
    expect(r.errors!.map((e) => [e.path, e.extensions.code, e.extensions.rule])).toEqual([[['documents', 0, 'title'], 'FORBIDDEN', 'Statement.title']]);
    const ok = await run(schema, '{ documents { ... on Statement { title } } }', as('cancellation:view'));
    expect(ok).toEqual({ data: { documents: [{ title: 'settlement' }, {}] } });
  });

  it('guards a field returning a guarded scalar', async () => {
    const { schema } = billingSubgraph();
    expect(codes(await run(schema, '{ secretValue }', as('billing:view')))).toEqual(['FORBIDDEN']);
    expect(await run(schema, '{ secretValue }', as('admin'))).toEqual({ data: { secretValue: 'the secret' } });
  });

  it.each([
    ['the first alternative', ['billing:update'], true],
    ['the second alternative', ['admin'], true],
    ['neither alternative', ['billing:view'], false],
  ])('OR-scopes on a mutation: %s', async (_name, scopes, allowed) => {
    const { schema, loads } = billingSubgraph();
    const r = await run(schema, 'mutation { urgentHold(id: "1") }', as(...scopes));
    if (allowed) expect(r).toEqual({ data: { urgentHold: true } });
    else expect(r.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: [['billing:update'], ['admin']] });
    expect(loads.mutations).toBe(allowed ? 1 : 0);
  });

  it('AND-scopes need every scope of the alternative', async () => {
    const { schema } = billingSubgraph();
    expect((await run(schema, 'mutation { fileAndHold(id: "1") }', as('billing:update'))).errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      missingScopes: [['cancellation:request']],
    });
    expect(await run(schema, 'mutation { fileAndHold(id: "1") }', as('billing:update', 'cancellation:request'))).toEqual({ data: { fileAndHold: true } });
  });

  describe('_entities', () => {
    const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Invoice { id total } } }';
    const reps = { r: [{ __typename: 'Invoice', id: '7' }] };

    it('refuses a guarded entity before its reference resolver loads anything', async () => {
      const { schema, loads } = billingSubgraph();
      const r = await run(schema, ENTITIES, as('smartlock:view'), reps);
      // The reference resolver throws synchronously inside \`_entities\`, so the whole batch fails (deny-safe).
      expect(r.data).toBeNull();
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect(r.errors![0]!.extensions).toMatchObject({ rule: 'Invoice', missingScopes: [['billing:view']] });
      expect(loads.references).toBe(0);
    });

    it('refuses even when only __typename is asked', async () => {
      const { schema, loads } = billingSubgraph();
      const r = await run(schema, 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', anonymous, reps);
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
      expect(loads.references).toBe(0);
    });

    it('resolves the entity for a caller with the scope', async () => {
      const { schema, loads } = billingSubgraph();
      const r = await run(schema, ENTITIES, as('billing:view'), reps);
      expect(r).toEqual({ data: { _entities: [{ __typename: 'Invoice', id: '7', total: 7000 }] } });
      expect(loads.references).toBe(1);
    });

    it('guards the fields of an @authenticated entity that has no reference resolver', async () => {
      const schema = buildSubgraphSchema([{ typeDefs: parse(TENANCY_SDL), resolvers: {} }]);
      guardSubgraphSchema(schema, buildRequirementIndex(TENANCY_SDL), (ctx) => (ctx as Ctx).subject);
      const q = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Room { id number } } }';
      const r = await run(schema, q, anonymous, { r: [{ __typename: 'Room', id: 'r1', number: '101' }] });
      expect(codes(r)).toContain('UNAUTHENTICATED');
      expect(JSON.stringify(r.data)).not.toContain('101');
      const ok = await run(schema, q, as(), { r: [{ __typename: 'Room', id: 'r1', number: '101' }] });
      expect(ok).toEqual({ data: { _entities: [{ id: 'r1', number: '101' }] } });
    });
  });

  it('guards directives written in the namespaced form (@federation__requiresScopes)', async () => {
    const sdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Query { secret: String @federation__requiresScopes(scopes: [["admin"]]) open: String }`;
    const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: { Query: { secret: () => 's', open: () => 'o' } } }]);
    const report = guardSubgraphSchema(schema, buildRequirementIndex(sdl), (ctx) => (ctx as Ctx).subject);
    expect(report.coveredOccurrences).toBe(1);
    expect(codes(await run(schema, '{ open secret }', as('billing:view')))).toEqual(['FORBIDDEN']);
    expect(await run(schema, '{ open secret }', as('admin'))).toEqual({ data: { open: 'o', secret: 's' } });
  });

  describe('refuses to run with a directive it does not enforce', () => {
    it('a guarded scalar used only as an argument', () => {
      const sdl = `${'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@requiresScopes"])'}
        scalar Code @requiresScopes(scopes: [["admin"]])
        type Query { find(code: Code): String }`;
      const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers: {} }]);
      expect(() => guardSubgraphSchema(schema, buildRequirementIndex(sdl), () => anonymous)).toThrow(/not enforced.*Code/);
    });

    it('an index that names a type the schema does not have', () => {
      const { schema } = billingSubgraph();
      const index = buildRequirementIndex(`${BILLING_SDL}\n type Ghost @authenticated { id: ID }`);
      expect(() => guardSubgraphSchema(schema, index, () => anonymous)).toThrow(/not enforced.*Ghost/);
    });

    it('an occurrence counted but not indexed (a directive in a place the index cannot read)', () => {
      const { schema } = billingSubgraph();
      const index = { ...buildRequirementIndex(BILLING_SDL) };
      index.occurrences += 1;
      expect(() => guardSubgraphSchema(schema, index, () => anonymous)).toThrow(/not enforced/);
    });
  });
});
