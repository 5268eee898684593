import { describe, expect, it } from 'vitest';
import { buildASTSchema, parse } from 'graphql';
import { buildCostIndex } from '../src/cost-index.ts';
import { exceededLimit, limitError, measureDocument, type OperationLimits, type OperationMetrics } from '../src/operation-limits.ts';

// A small supergraph-shaped SDL: join graphs for entity hops, @cost/@listSize, a sensitive tag.
const SDL = `
  schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"]) { query: Query mutation: Mutation }
  directive @link(url: String, as: String, for: String, import: [String]) repeatable on SCHEMA
  directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  directive @tag(name: String!) repeatable on FIELD_DEFINITION
  directive @join__type(graph: String) repeatable on OBJECT
  directive @join__field(graph: String) repeatable on FIELD_DEFINITION
  type Query @join__type(graph: A) {
    name: String
    node: Node
    rooms(first: Int = 10): RoomConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
    tags: [String!]! @listSize(assumedSize: 5)
    unsized: [Room!]!
  }
  type Mutation @join__type(graph: A) {
    login(id: String!): String @tag(name: "sensitive") @cost(weight: 50)
    touch: Room
  }
  type Node @join__type(graph: A) { name: String child: Node }
  type RoomConnection @join__type(graph: A) { edges: [RoomEdge!]! }
  type RoomEdge @join__type(graph: A) { node: Room! }
  type Room @join__type(graph: A) @join__type(graph: B) {
    id: ID!
    lines: [Line!]! @join__field(graph: B) @listSize(assumedSize: 20)
  }
  type Line @join__type(graph: B) { id: ID! room: Room! }
`;
const doc = parse(SDL);
const schema = buildASTSchema(doc, { assumeValidSDL: true });
const index = buildCostIndex(doc);
const measure = (query: string, variables: Record<string, unknown> = {}): OperationMetrics => [...measureDocument(schema, index, parse(query), variables).values()][0]!;

const LIMITS: OperationLimits = { tokens: 1000, aliases: 3, rootFields: 3, fragmentSpreads: 4, directives: 2, depth: 3, sensitiveFields: 1, cost: 100 };

describe('depth (the former depth-limit rule, now measured with the other limits)', () => {
  const cases: [name: string, query: string, depth: number][] = [
    ['a leaf at depth 1', '{ name }', 1],
    ['nested fields', '{ node { child { name } } }', 3],
    ['__typename counts as a field', '{ node { child { __typename } } }', 3],
    ['inline fragments add no depth', '{ node { ... on Node { ... { child { name } } } } }', 3],
    ['named fragments are followed', '{ ...Q } fragment Q on Query { node { ...N } } fragment N on Node { child { child { name } } }', 4],
    ['aliases do not hide depth', '{ a: node { b: child { c: child { d: name } } } }', 4],
    ['the deepest branch counts', '{ name node { name } x: node { child { child { name } } } }', 4],
  ];
  it.each(cases)('%s', (_name, query, depth) => {
    expect(measure(query).depth).toBe(depth);
  });

  it('terminates on cyclic fragments (graphql reports the cycle itself)', () => {
    expect(measure('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }').depth).toBe(3);
  });
});

describe('counts follow fragments as executed', () => {
  it('counts aliases, root fields, spreads and directives through fragments', () => {
    const m = measure('query Q @skip(if: false) { a: name ...F ...F } fragment F on Query { b: name @include(if: true) c: node { name } }');
    expect(m).toMatchObject({ aliases: 5, rootFields: 5, fragmentSpreads: 2, directives: 3 });
  });

  it('measures a graph of 30 doubling fragments without walking its 2^31 spread paths', () => {
    const frags = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const m = measure(`{ ...F0 }\n${frags}\nfragment F30 on Query { name }`);
    expect(m.fragmentSpreads).toBe(2 ** 31 - 1);
    expect(m.rootFields).toBe(2 ** 30);
    expect(exceededLimit(m, LIMITS)).toEqual({ limit: 'fragmentSpreads', value: 2 ** 31 - 1, maximum: 4 });
  });

  it('counts a sensitive field under aliases and through fragments', () => {
    expect(measure('mutation { a: login(id: "1") b: login(id: "2") }').sensitiveFields).toBe(2);
    expect(measure('mutation { ...L } fragment L on Mutation { login(id: "1") }').sensitiveFields).toBe(1);
    expect(exceededLimit(measure('mutation { a: login(id: "1") b: login(id: "2") c: login(id: "3") d: login(id: "4") }'), LIMITS)?.limit).toBe('sensitiveFields');
  });

  it('recognises introspection, alone or mixed with data', () => {
    expect(measure('{ __schema { types { name } } }')).toMatchObject({ introspection: true, introspectionOnly: true, cost: 0 });
    expect(measure('{ __typename ...F } fragment F on Query { __type(name: "Room") { name } }')).toMatchObject({ introspection: true, introspectionOnly: true });
    expect(measure('{ name __schema { queryType { name } } }')).toMatchObject({ introspection: true, introspectionOnly: false });
    expect(measure('{ __typename }')).toMatchObject({ introspection: false });
  });
});

describe('cost', () => {
  it('prices objects 1, leaves 0, mutations 10 and declared weights', () => {
    expect(measure('{ name }').cost).toBe(0);
    expect(measure('{ node { name } }').cost).toBe(1);
    expect(measure('mutation { touch { id } }').cost).toBe(10);
    expect(measure('mutation { login(id: "x") }').cost).toBe(50);
  });

  it('multiplies by the slicing argument (literal, variable or default) through sizedFields', () => {
    // rooms 1 + edges first × (edge 1 + node 1)
    expect(measure('{ rooms(first: 7) { edges { node { id } } } }').cost).toBe(1 + 7 * 2);
    expect(measure('query($n: Int) { rooms(first: $n) { edges { node { id } } } }', { n: 3 }).cost).toBe(1 + 3 * 2);
    expect(measure('{ rooms { edges { node { id } } } }').cost).toBe(1 + 10 * 2);
  });

  it('multiplies along the selection and counts a hop to another subgraph once per item', () => {
    // rooms 1 + 2 × (edge 1 + node 1 + 20 × (line 1 + hop to B 1 + room 1)); B resolves Line.room itself
    expect(measure('{ rooms(first: 2) { edges { node { lines { room { id } } } } } }').cost).toBe(1 + 2 * (2 + 20 * 3));
    // …and lists below lists multiply: room → lines → room → lines
    expect(measure('{ rooms(first: 2) { edges { node { lines { room { lines { id } } } } } } }').cost).toBe(1 + 2 * (2 + 20 * (3 + 20 * 1)));
  });

  it('prices an unsized list at the fail-safe size and a sized list of leaves at 0', () => {
    expect(measure('{ unsized { id } }').cost).toBe(100);
    expect(measure('{ tags }').cost).toBe(0);
  });

  it('memoises a fragment per context without changing the figure', () => {
    const inline = measure('{ a: rooms(first: 2) { edges { node { id } } } b: rooms(first: 3) { edges { node { id } } } }').cost;
    const viaFragment = measure('{ a: rooms(first: 2) { ...C } b: rooms(first: 3) { ...C } } fragment C on RoomConnection { edges { node { id } } }').cost;
    expect(viaFragment).toBe(inline);
  });
});

describe('the refusal', () => {
  it('names the limit, the value and the maximum, in English and Japanese; cost also in extensions.cost', () => {
    const e = limitError('cost', 250, 100);
    expect(e.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost', value: 250, maximum: 100, cost: 250 });
    expect(e.message).toContain('cost 250 exceed the limit of 100');
    expect(e.message).toContain('上限（100）');
  });

  it('is null at every limit and names the first limit over it', () => {
    const at: OperationMetrics = { aliases: 3, rootFields: 3, fragmentSpreads: 4, directives: 2, depth: 3, sensitiveFields: 1, cost: 100, introspection: false, introspectionOnly: false };
    expect(exceededLimit(at, LIMITS)).toBeNull();
    for (const limit of ['aliases', 'rootFields', 'fragmentSpreads', 'directives', 'depth', 'sensitiveFields', 'cost'] as const) {
      expect(exceededLimit({ ...at, [limit]: at[limit] + 1 }, LIMITS)).toEqual({ limit, value: at[limit] + 1, maximum: LIMITS[limit] });
    }
  });
});
