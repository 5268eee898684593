import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSubgraphSdl, readSubgraphSources, SUBGRAPHS, subgraphUrl } from '../src/subgraphs.ts';
import { type FixtureRepo, makeRepo } from './fixture.ts';

let repo: FixtureRepo | undefined;
afterEach(() => repo?.dispose());

describe('subgraph registry', () => {
  it('lists the four subgraphs on their ports', () => {
    expect(SUBGRAPHS.map((s) => [s.name, s.port, s.dir])).toEqual([
      ['billing', 4001, 'subgraphs/billing'],
      ['tenancy', 4002, 'subgraphs/tenancy'],
      ['smartlock', 4003, 'subgraphs/smartlock'],
      ['contracts', 4004, 'subgraphs/contracts'],
    ]);
    expect(subgraphUrl(4001)).toBe('http://127.0.0.1:4001/graphql');
  });
});

describe('readSubgraphSdl', () => {
  it('concatenates src/**/*.graphql in sorted path order, ignoring other files', () => {
    repo = makeRepo({
      'sg/src/b.graphql': 'type B { b: Int }',
      'sg/src/a/z.graphql': '# a trailing comment without newline',
      'sg/src/a.graphql': 'type A { a: Int }\n',
      'sg/src/notes.md': 'not sdl',
      'sg/other/x.graphql': 'type X { x: Int }',
    });
    const dir = path.join(repo.root, 'sg');
    expect(readSubgraphSources(dir).map((s) => path.relative(dir, s.file))).toEqual(['src/a.graphql', 'src/a/z.graphql', 'src/b.graphql']);
    expect(readSubgraphSdl(dir)).toBe('type A { a: Int }\n\n# a trailing comment without newline\ntype B { b: Int }');
  });

  it('throws when the subgraph has no SDL', () => {
    repo = makeRepo({ 'sg/src/index.ts': '' });
    expect(() => readSubgraphSdl(path.join(repo!.root, 'sg'))).toThrow(/no \.graphql files/);
  });
});
