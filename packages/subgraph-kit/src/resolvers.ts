import type { buildSubgraphSchema } from '@apollo/subgraph';

/**
 * A resolver map as `buildSubgraphSchema` takes it. @apollo/subgraph does not export the type from
 * its entry point, so it is read off the function instead of imported from `dist/`. Subgraphs build
 * theirs from their generated `Resolvers` type (codegen.ts), which is what checks it against the SDL.
 */
export type SubgraphResolverMap = NonNullable<Exclude<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], { kind: unknown }>['resolvers']>;

/** Merges the resolver maps of a subgraph's modules (one map per module, keyed by type) into one of the same type. */
export function mergeResolvers<R extends object>(...maps: R[]): R {
  const out: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      out[type] = fields && typeof fields === 'object' && !(fields.constructor?.name === 'GraphQLScalarType') ? { ...(out[type] as object | undefined), ...fields } : fields;
    }
  }
  // Each module map is an R, and every type key of the merge holds the union of those modules' fields.
  return out as R;
}

/**
 * A value the schema declares non-null and the data guarantees (a foreign key, a column written
 * together with another): a miss is a system fault. GraphQL would fail the field anyway ("Cannot
 * return null for non-nullable field"); this names what was missing, and lets the generated
 * resolver types hold without a cast.
 */
export function existing<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
