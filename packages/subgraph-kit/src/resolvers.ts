/** Merges the resolver maps of a subgraph's modules (one map per module, keyed by type). */
export function mergeResolvers(...maps: object[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map as Record<string, unknown>)) {
      out[type] = fields && typeof fields === 'object' && !(fields.constructor?.name === 'GraphQLScalarType') ? { ...out[type], ...(fields as Record<string, unknown>) } : (fields as Record<string, unknown>);
    }
  }
  return out;
}
