import { afterEach, describe, expect, it } from 'vitest';
import { checkComposition } from '../src/check.ts';
import { composeRepo } from '../src/compose.ts';
import { errorsOf, type FixtureRepo, makeRepo } from './fixture.ts';

let repo: FixtureRepo | undefined;
afterEach(() => repo?.dispose());

describe('composition', () => {
  it('composes the fixture into a standard supergraph and a sorted API schema', () => {
    repo = makeRepo();
    const outcome = composeRepo(repo.root);
    if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
    expect(outcome.supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    expect(outcome.supergraphSdl).toContain('BILLING @join__graph(name: "billing", url: "http://127.0.0.1:4001/graphql")');
    expect(outcome.supergraphSdl).toContain('CONTRACTS @join__graph(name: "contracts", url: "http://127.0.0.1:4004/graphql")');
    expect(outcome.apiSdl).not.toContain('join__');
    expect(outcome.apiSdl).not.toContain('@requiresScopes');
    const typeOrder = [...outcome.apiSdl.matchAll(/^(?:type|enum) (\w+)/gm)].map((m) => m[1]);
    expect(typeOrder).toEqual([...typeOrder].sort());
    expect(outcome.apiSdl.endsWith('\n')).toBe(true);
    expect(errorsOf(checkComposition(repo.root))).toEqual([]);
  });

  it('reports composition errors with the subgraph file they come from', () => {
    repo = makeRepo();
    repo.edit('subgraphs/tenancy/src/schema.graphql', 'name: String!', 'name: String!\n  invoicesCount: Int! @authenticated');
    repo.write(
      'subgraphs/billing/src/modules/member.graphql',
      'extend type Member {\n  invoicesCount: String! @authenticated\n}\n',
    );
    const errors = errorsOf(checkComposition(repo.root));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Member\.invoicesCount/);
    expect(errors.map((e) => e.location).join('\n')).toMatch(/subgraphs\/(billing|tenancy)\/src\/.*\.graphql:\d+:\d+/);
  });

  it('fails when a subgraph has no SDL or does not parse', () => {
    repo = makeRepo();
    repo.remove('subgraphs/contracts/src/contracts.graphql');
    repo.edit('subgraphs/smartlock/src/smartlock.graphql', 'name: String!', 'name: String!!');
    const messages = errorsOf(checkComposition(repo.root)).map((e) => `${e.message} @ ${e.location}`);
    expect(messages).toContainEqual(expect.stringMatching(/^contracts: no \.graphql files under subgraphs\/contracts\/src/));
    expect(messages).toContainEqual(expect.stringMatching(/^smartlock: Syntax Error.*@ subgraphs\/smartlock\/src\/smartlock\.graphql:\d+:\d+/));
  });
});
