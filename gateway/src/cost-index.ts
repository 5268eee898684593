import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/**
 * What the supergraph says about the price of a field: Federation 2.9's demand-control directives
 * (`@cost(weight:)`, `@listSize(assumedSize:, slicingArguments:, sizedFields:)`), which subgraph
 * resolves it (`@join__field` / `@join__type`, for entity hops) and our `@tag(name: "sensitive")`.
 * @apollo/gateway neither enforces these nor keeps them in its API schema, so they are read from the
 * supergraph SDL once at start-up, like the auth directives (`packages/auth` requirements.ts).
 */
export interface ListSize {
  assumedSize: number | null;
  slicingArguments: readonly string[];
  sizedFields: readonly string[];
}

export interface FieldCost {
  weight: number | null;
  listSize: ListSize | null;
  /** Subgraphs that resolve the field; empty when the supergraph does not say (the type's then apply). */
  graphs: readonly string[];
  sensitive: boolean;
}

export interface CostIndex {
  /** `Type.field` → what the supergraph says about it. */
  fields: ReadonlyMap<string, FieldCost>;
  /** `@cost` on a type: the weight of every field returning it. */
  typeWeights: ReadonlyMap<string, number>;
  /** Subgraphs that can resolve each type's fields. */
  typeGraphs: ReadonlyMap<string, readonly string[]>;
}

const COST_SPEC = 'https://specs.apollo.dev/cost/';
/** `@tag(name: "sensitive")`: at most one such field per operation (login, password and code checks). */
export const SENSITIVE_TAG = 'sensitive';

export function buildCostIndex(doc: DocumentNode): CostIndex {
  const names = costDirectiveNames(doc);
  const fields = new Map<string, FieldCost>();
  const typeWeights = new Map<string, number>();
  const typeGraphs = new Map<string, string[]>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.SCALAR_TYPE_DEFINITION || def.kind === Kind.ENUM_TYPE_DEFINITION || def.kind === Kind.UNION_TYPE_DEFINITION) {
      const weight = weightOf(def.directives, names.cost);
      if (weight !== null) typeWeights.set(def.name.value, weight);
    }
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_EXTENSION) continue;
    const typeName = def.name.value;
    const weight = weightOf(def.directives, names.cost);
    if (weight !== null) typeWeights.set(typeName, weight);
    typeGraphs.set(typeName, [...(typeGraphs.get(typeName) ?? []), ...graphsOf(def.directives, 'join__type')]);
    for (const field of def.fields ?? []) {
      const listSize = field.directives?.find((d) => names.listSize.has(d.name.value));
      fields.set(`${typeName}.${field.name.value}`, {
        weight: weightOf(field.directives, names.cost),
        listSize: listSize
          ? {
              assumedSize: intArg(listSize, 'assumedSize'),
              slicingArguments: stringListArg(listSize, 'slicingArguments'),
              sizedFields: stringListArg(listSize, 'sizedFields'),
            }
          : null,
        graphs: graphsOf(field.directives, 'join__field'),
        sensitive: field.directives?.some((d) => d.name.value === 'tag' && stringArg(d, 'name') === SENSITIVE_TAG) ?? false,
      });
    }
  }
  return { fields, typeWeights, typeGraphs };
}

/** The names `@cost`/`@listSize` carry in this supergraph (its `@link` may rename or namespace them). */
function costDirectiveNames(doc: DocumentNode): { cost: Set<string>; listSize: Set<string> } {
  const cost = new Set(['cost']);
  const listSize = new Set(['listSize']);
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'link' || !stringArg(d, 'url')?.startsWith(COST_SPEC)) continue;
      const ns = stringArg(d, 'as') ?? 'cost';
      cost.add(`${ns}__cost`);
      listSize.add(`${ns}__listSize`);
      const imports = d.arguments?.find((a) => a.name.value === 'import')?.value;
      for (const item of imports?.kind === Kind.LIST ? imports.values : []) {
        if (item.kind !== Kind.OBJECT) continue;
        const name = item.fields.find((f) => f.name.value === 'name')?.value;
        const as = item.fields.find((f) => f.name.value === 'as')?.value;
        if (name?.kind !== Kind.STRING || as?.kind !== Kind.STRING) continue;
        if (name.value === '@cost') cost.add(as.value.replace(/^@/, ''));
        if (name.value === '@listSize') listSize.add(as.value.replace(/^@/, ''));
      }
    }
  }
  return { cost, listSize };
}

function weightOf(directives: readonly ConstDirectiveNode[] | undefined, names: ReadonlySet<string>): number | null {
  const d = directives?.find((x) => names.has(x.name.value));
  return d ? intArg(d, 'weight') : null;
}

function graphsOf(directives: readonly ConstDirectiveNode[] | undefined, name: string): string[] {
  const out: string[] = [];
  for (const d of directives ?? []) {
    if (d.name.value !== name) continue;
    const graph = d.arguments?.find((a) => a.name.value === 'graph')?.value;
    if (graph?.kind === Kind.ENUM) out.push(graph.value);
  }
  return out;
}

function stringArg(d: ConstDirectiveNode, name: string): string | null {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  return v?.kind === Kind.STRING ? v.value : null;
}

function intArg(d: ConstDirectiveNode, name: string): number | null {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  if (v?.kind === Kind.INT) return Number(v.value);
  // @cost(weight:) is a String in some drafts of the spec; accept a numeric string.
  if (v?.kind === Kind.STRING && /^\d+$/.test(v.value)) return Number(v.value);
  return null;
}

function stringListArg(d: ConstDirectiveNode, name: string): string[] {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  const items: readonly ConstValueNode[] = v?.kind === Kind.LIST ? v.values : v ? [v] : [];
  return items.flatMap((i) => (i.kind === Kind.STRING ? [i.value] : []));
}
