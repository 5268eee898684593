import { afterEach, describe, expect, it } from 'vitest';
import { checkDenyByDefault, checkNoRename, checkScopes } from '../src/check.ts';
import { errorsOf, type FixtureRepo, LINK, makeRepo } from './fixture.ts';

let repo: FixtureRepo | undefined;
afterEach(() => repo?.dispose());

const TENANCY = 'subgraphs/tenancy/src/schema.graphql';
const BILLING_INVOICE = 'subgraphs/billing/src/modules/invoice/invoice.graphql';

describe('deny by default (c)', () => {
  it('passes when every field is covered on itself, its type, or the type it returns', () => {
    repo = makeRepo();
    expect(checkDenyByDefault(repo.root)).toEqual([]);
  });

  it('fails naming the field whose auth directive was deleted, with its file and line', () => {
    repo = makeRepo();
    repo.edit(TENANCY, 'me: Member @authenticated', 'me: String');
    const errors = errorsOf(checkDenyByDefault(repo.root));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^tenancy: Query\.me has neither/);
    expect(errors[0]!.location).toMatch(/^subgraphs\/tenancy\/src\/schema\.graphql:4:3$/);
  });

  it('requires markers on entity stubs and extensions, and accepts a type-level directive on an extension', () => {
    repo = makeRepo();
    repo.write('subgraphs/billing/src/modules/stub.graphql', 'type Room @key(fields: "id", resolvable: false) {\n  id: ID!\n}\nextend type Query {\n  ping: Int\n}\n');
    const messages = errorsOf(checkDenyByDefault(repo.root)).map((f) => f.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^billing: Room\.id /);
    expect(messages[1]).toMatch(/^billing: Query\.ping /);

    repo.write('subgraphs/billing/src/modules/stub.graphql', 'type Room @key(fields: "id", resolvable: false) {\n  id: ID!\n}\nextend type Room @authenticated\nextend type Query {\n  ping: Int @tag(name: "public")\n}\n');
    expect(errorsOf(checkDenyByDefault(repo.root))).toEqual([]);
  });

  it('does not treat other tags or a public return type as a marker', () => {
    repo = makeRepo();
    repo.edit(TENANCY, 'me: Member @authenticated', 'me: Member @tag(name: "internal")\n  lastLogin: LoginPayload');
    const messages = errorsOf(checkDenyByDefault(repo.root)).map((f) => f.message);
    expect(messages.some((m) => m.startsWith('tenancy: Query.lastLogin '))).toBe(true);
    // Member is @authenticated, so a field returning it is protected even without its own directive.
    expect(messages.some((m) => m.startsWith('tenancy: Query.me '))).toBe(false);
    repo.edit(TENANCY, 'type Member @key(fields: "id") @authenticated', 'type Member @key(fields: "id")');
    expect(errorsOf(checkDenyByDefault(repo.root)).map((f) => f.message)).toContainEqual(expect.stringMatching(/^tenancy: Query\.me /));
  });

  it('warns when a field is both public and protected', () => {
    repo = makeRepo();
    repo.edit(TENANCY, 'me: Member @authenticated', 'me: Member @authenticated @tag(name: "public")');
    const findings = checkDenyByDefault(repo.root);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^tenancy: Query\.me is marked both/) });
  });
});

describe('scope lint (d)', () => {
  it('passes with known scopes', () => {
    repo = makeRepo();
    expect(checkScopes(repo.root)).toEqual([]);
  });

  it('fails on a typo, naming the scope, the element and the file position', () => {
    repo = makeRepo();
    repo.edit(BILLING_INVOICE, 'invoices(status: String): [Invoice!]! @requiresScopes(scopes: [["billing:view"]])', 'invoices(status: String): [Invoice!]! @requiresScopes(scopes: [["billing:veiw"]])');
    const errors = errorsOf(checkScopes(repo.root));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('billing: Query.invoices: unknown scope "billing:veiw" (did you mean "billing:view"?)');
    expect(errors[0]!.location).toMatch(/^subgraphs\/billing\/src\/modules\/invoice\/invoice\.graphql:16:\d+$/);
  });

  it('fails on empty scope lists and non-string scopes', () => {
    repo = makeRepo();
    repo.edit('subgraphs/contracts/src/contracts.graphql', '@requiresScopes(scopes: [["fire-insurance:view"], ["admin"]])', '@requiresScopes(scopes: [])');
    repo.edit('subgraphs/smartlock/src/smartlock.graphql', '@requiresScopes(scopes: [["smartlock:use"]])', '@requiresScopes(scopes: [[]])');
    repo.edit('subgraphs/smartlock/src/smartlock.graphql', '@requiresScopes(scopes: [["smartlock:view"]])', '@requiresScopes(scopes: [[ADMIN]])');
    const messages = errorsOf(checkScopes(repo.root)).map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^contracts: Contract: @requiresScopes with an empty scopes list/),
        expect.stringMatching(/^smartlock: Query\.unlock: @requiresScopes with an empty scope set/),
        expect.stringMatching(/^smartlock: Lock: @requiresScopes scope must be a string literal, got EnumValue/),
      ]),
    );
    expect(messages).toHaveLength(3);
  });
});

describe('no rename (e)', () => {
  it('passes with the standard import', () => {
    repo = makeRepo();
    expect(checkNoRename(repo.root)).toEqual([]);
  });

  it('fails when @requiresScopes is renamed in @link', () => {
    repo = makeRepo();
    repo.edit('subgraphs/billing/src/schema/00-link.graphql', '"@requiresScopes"', '{ name: "@requiresScopes", as: "@scopes" }');
    const errors = errorsOf(checkNoRename(repo.root));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('billing: renames @requiresScopes to @scopes in @link; auth directives must keep their names');
    expect(errors[0]!.location).toMatch(/^subgraphs\/billing\/src\/schema\/00-link\.graphql:1:\d+$/);
  });

  it('fails on imports from elsewhere, look-alike imports, own definitions and namespaced use', () => {
    repo = makeRepo();
    repo.edit('subgraphs/smartlock/src/smartlock.graphql', LINK, `${LINK.replace(', "@authenticated"', '')}extend schema @link(url: "https://example.com/auth/v1.0", import: ["@authenticated"])\n`);
    repo.edit('subgraphs/contracts/src/contracts.graphql', '"@shareable"', '{ name: "@shareable", as: "@tag" }');
    repo.write('subgraphs/tenancy/src/own.graphql', 'directive @authenticated on FIELD_DEFINITION\n');
    repo.edit(TENANCY, 'me: Member @authenticated', 'me: Member @federation__requiresScopes(scopes: [["admin"]])');
    const messages = errorsOf(checkNoRename(repo.root)).map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'smartlock: imports @authenticated from https://example.com/auth/v1.0; import it from the federation spec',
        'contracts: imports @shareable as @tag, taking the name of an auth directive',
        "tenancy: defines its own directive @authenticated; use Federation's (import it in @link)",
        'tenancy: uses @federation__requiresScopes on Query.me; import @requiresScopes by its own name and use that',
      ]),
    );
    expect(messages).toHaveLength(4);
  });
});
