import { describe, expect, it } from 'vitest';
import { buildSchema, parse, validate } from 'graphql';
import { depthLimit } from '../src/depth-limit.ts';

const schema = buildSchema(`
  type Query { node: Node name: String }
  type Node { name: String child: Node }
`);

const errorsOf = (query: string, max: number) => validate(schema, parse(query), [depthLimit(max)]);

describe('depthLimit', () => {
  const cases: [name: string, query: string, max: number, depth: number | null][] = [
    ['a leaf at depth 1', '{ name }', 1, null],
    ['exactly at the limit', '{ node { child { name } } }', 3, null],
    ['one over the limit', '{ node { child { child { name } } } }', 3, 4],
    ['__typename counts as a field', '{ node { child { __typename } } }', 2, 3],
    ['inline fragments add no depth', '{ node { ... on Node { ... { child { name } } } } }', 3, null],
    ['named fragments are followed', '{ ...Q } fragment Q on Query { node { ...N } } fragment N on Node { child { child { name } } }', 3, 4],
    ['aliases do not hide depth', '{ a: node { b: child { c: child { d: name } } } }', 3, 4],
    ['the deepest branch counts', '{ name node { name } x: node { child { child { name } } } }', 3, 4],
  ];
  it.each(cases)('%s', (_name, query, max, depth) => {
    const errors = errorsOf(query, max);
    if (depth === null) expect(errors).toEqual([]);
    else {
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toBe(`Query depth ${depth} exceeds the limit of ${max}.`);
      expect(errors[0]!.extensions.code).toBe('QUERY_TOO_DEEP');
    }
  });

  it('checks every operation of a document', () => {
    const errors = errorsOf('query A { name } query B { node { child { child { name } } } }', 2);
    expect(errors.map((e) => e.message)).toEqual(['Query depth 4 exceeds the limit of 2.']);
  });

  it('terminates on cyclic fragments (graphql reports the cycle itself)', () => {
    const doc = parse('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }');
    const errors = validate(schema, doc, [depthLimit(10)]);
    expect(errors).toEqual([]);
    expect(validate(schema, doc, [depthLimit(2)]).map((e) => e.extensions.code)).toEqual(['QUERY_TOO_DEEP']);
  });
});
