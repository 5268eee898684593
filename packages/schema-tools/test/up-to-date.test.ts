import { afterEach, describe, expect, it } from 'vitest';
import { checkUpToDate } from '../src/check.ts';
import { type FixtureRepo, makeRepo } from './fixture.ts';

let repo: FixtureRepo | undefined;
afterEach(() => repo?.dispose());

describe('committed supergraph is up to date (b)', () => {
  it('passes right after compose', () => {
    repo = makeRepo();
    repo.compose();
    expect(repo.read('supergraph.graphql')).toContain('for: SECURITY');
    expect(checkUpToDate(repo.root)).toEqual([]);
  });

  it('fails when a subgraph changed after compose', () => {
    repo = makeRepo();
    repo.compose();
    repo.edit('subgraphs/tenancy/src/schema.graphql', 'name: String!', 'name: String!\n  email: String @authenticated');
    const findings = checkUpToDate(repo.root);
    expect(findings.map((f) => [f.severity, f.location])).toEqual([
      ['error', 'supergraph.graphql'],
      ['error', 'schema/api.graphql'],
    ]);
    expect(findings[0]!.message).toMatch(/stale.*run npm run compose/);
  });

  it('fails when the committed files are missing or hand-edited', () => {
    repo = makeRepo();
    repo.compose();
    repo.remove('supergraph.graphql');
    repo.edit('schema/api.graphql', /for: SECURITY|type Query/, 'type Query @deprecated');
    const messages = checkUpToDate(repo.root).map((f) => f.message);
    expect(messages).toEqual([
      'supergraph.graphql is missing: run npm run compose',
      expect.stringMatching(/^schema\/api\.graphql is stale/),
    ]);
  });
});
