import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostIndex, FieldCost } from './cost-index.ts';

/** Per-operation limits, checked before validation, planning and any subgraph call. */
export interface OperationLimits {
  /** Lexical tokens of the whole document (enforced by graphql's parser, `maxTokens`). */
  tokens: number;
  aliases: number;
  rootFields: number;
  /** Fragment spreads as executed: a fragment spread twice counts its own spreads twice. */
  fragmentSpreads: number;
  directives: number;
  depth: number;
  /** Fields tagged `@tag(name: "sensitive")` (login, password and code checks). */
  sensitiveFields: number;
  cost: number;
}

export type LimitName = keyof OperationLimits;

/**
 * What one operation measures: a figure for every limit but tokens (the parser counts those), each
 * following fragments as executed.
 */
export interface OperationMetrics extends Omit<OperationLimits, 'tokens'> {
  /** Selects `__schema` or `__type` somewhere. */
  introspection: boolean;
  /** Selects nothing but introspection (`__schema`, `__type`, `__typename`) at its root. */
  introspectionOnly: boolean;
}

/** Weights of the cost model (the IBM/Apollo demand-control model: objects 1, leaves 0, mutations 10). */
export const COST_DEFAULTS = {
  object: 1,
  leaf: 0,
  mutation: 10,
  /** A field resolved by another subgraph than its parent: one more fetch per item. */
  entityHop: 1,
  /** A list without `@listSize` (the schema check refuses these; this is the fail-safe). */
  listSize: 100,
};

interface Tally {
  aliases: number;
  topFields: number;
  fragmentSpreads: number;
  directives: number;
  depth: number;
  sensitiveFields: number;
  cost: number;
  introspection: boolean;
  topNonIntrospection: boolean;
}

const empty = (): Tally => ({ aliases: 0, topFields: 0, fragmentSpreads: 0, directives: 0, depth: 0, sensitiveFields: 0, cost: 0, introspection: false, topNonIntrospection: false });

function add(into: Tally, t: Tally): void {
  into.aliases += t.aliases;
  into.topFields += t.topFields;
  into.fragmentSpreads += t.fragmentSpreads;
  into.directives += t.directives;
  into.depth = Math.max(into.depth, t.depth);
  into.sensitiveFields += t.sensitiveFields;
  into.cost += t.cost;
  into.introspection ||= t.introspection;
  into.topNonIntrospection ||= t.topNonIntrospection;
}

/**
 * Measures every operation of a document in one pass that is linear in the document's size: each
 * fragment is measured once per context (subgraph, sizes handed down by its parent) and its figures
 * are then added wherever it is spread, so a graph of fragments that each spread the next one twice
 * costs one visit per fragment instead of 2^n (the old depth limit and requirement walk followed
 * every spread path: 20 s for a 1 KB anonymous request). Counts follow fragments as executed (30
 * doubling fragments are 2^30 spreads); the figures are plain numbers, so they saturate instead of
 * overflowing.
 *
 * Unknown fields, types and fragments are skipped: graphql's own validation reports them next.
 */
export function measureDocument(
  schema: GraphQLSchema,
  index: CostIndex,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> = {},
): Map<OperationDefinitionNode, OperationMetrics> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const memo = new Map<string, Tally>();
  const inProgress = new Set<string>();

  const listSizeOf = (info: FieldCost | undefined, field: GraphQLField<unknown, unknown>, args: ReadonlyMap<string, unknown>): number => {
    const spec = info?.listSize;
    if (!spec) return COST_DEFAULTS.listSize;
    const sliced = spec.slicingArguments.map((name) => args.get(name)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0);
    if (sliced.length > 0) return Math.max(...sliced);
    const defaults = spec.slicingArguments.map((name) => field.args.find((a) => a.name === name)?.defaultValue).filter((v): v is number => typeof v === 'number');
    if (defaults.length > 0) return Math.max(...defaults);
    return spec.assumedSize ?? COST_DEFAULTS.listSize;
  };

  const argumentValues = (field: GraphQLField<unknown, unknown>, node: FieldNode): Map<string, unknown> => {
    const out = new Map<string, unknown>();
    for (const arg of node.arguments ?? []) {
      const def = field.args.find((a) => a.name === arg.name.value);
      if (!def) continue;
      try {
        out.set(arg.name.value, valueFromAST(arg.value, def.type, variables as Record<string, unknown>));
      } catch {
        // an invalid value is refused by validation; it cannot make the operation cheaper here
      }
    }
    return out;
  };

  /**
   * `graph`: the subgraph the parent was fetched from (null at the root);
   * `sized`: sizes the parent hands down to its direct children through `@listSize(sizedFields:)`.
   */
  const measure = (parent: GraphQLNamedType, set: SelectionSetNode, graph: string | null, sized: ReadonlyMap<string, number> | null, free: boolean, rootKind: string | null): Tally => {
    const tally = empty();
    for (const sel of set.selections) {
      tally.directives += sel.directives?.length ?? 0;
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        tally.topFields += 1;
        if (sel.alias) tally.aliases += 1;
        const isIntrospection = name === '__schema' || name === '__type';
        if (isIntrospection) tally.introspection = true;
        else if (name !== '__typename') tally.topNonIntrospection = true;
        if (!isObjectType(parent) && !isInterfaceType(parent)) {
          tally.depth = Math.max(tally.depth, 1);
          continue;
        }
        const field: GraphQLField<unknown, unknown> | undefined = name === '__schema' ? SchemaMetaFieldDef : name === '__type' ? TypeMetaFieldDef : parent.getFields()[name];
        if (!field) {
          tally.depth = Math.max(tally.depth, 1);
          continue;
        }
        const named = getNamedType(field.type);
        // Introspection is answered by the gateway itself from its schema: no subgraph is priced.
        const priceless = free || isIntrospection || parent.name.startsWith('__');
        const info = priceless ? undefined : index.fields.get(`${parent.name}.${name}`);
        if (info?.sensitive) tally.sensitiveFields += 1;
        let size = 1;
        let childSized: Map<string, number> | null = null;
        if (!priceless) {
          const args = argumentValues(field, sel);
          const listed = isListType(getNullableType(field.type));
          if (listed) size = sized?.get(name) ?? listSizeOf(info, field, args);
          else if (sized?.has(name)) size = sized.get(name)!;
          if (info?.listSize && info.listSize.sizedFields.length > 0) {
            const n = listSizeOf(info, field, args);
            childSized = new Map(info.listSize.sizedFields.map((f) => [f, n]));
          }
        }
        let hop = 0;
        let childGraph = graph;
        if (!priceless) {
          const graphs = info && info.graphs.length > 0 ? info.graphs : (index.typeGraphs.get(parent.name) ?? []);
          if (graphs.length > 0 && (graph === null || !graphs.includes(graph))) {
            if (graph !== null) hop = COST_DEFAULTS.entityHop;
            childGraph = graphs[0]!;
          }
        }
        const composite = isCompositeType(named);
        const weight = priceless
          ? 0
          : (info?.weight ?? index.typeWeights.get(named.name) ?? (rootKind === 'mutation' ? COST_DEFAULTS.mutation : composite ? COST_DEFAULTS.object : COST_DEFAULTS.leaf));
        let own = (weight + hop) * size;
        let depth = 1;
        if (sel.selectionSet && composite) {
          const child = measure(named, sel.selectionSet, childGraph, childSized, priceless, null);
          own += size * child.cost;
          depth += child.depth;
          tally.aliases += child.aliases;
          tally.fragmentSpreads += child.fragmentSpreads;
          tally.directives += child.directives;
          tally.sensitiveFields += child.sensitiveFields;
          tally.introspection ||= child.introspection;
        }
        tally.cost += own;
        tally.depth = Math.max(tally.depth, depth);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (!cond) continue;
        add(tally, measure(cond, sel.selectionSet, graph, sized, free, rootKind));
      } else {
        tally.fragmentSpreads += 1;
        const frag = fragments.get(sel.name.value);
        const cond = frag && schema.getType(frag.typeCondition.name.value);
        if (!frag || !cond) continue;
        const key = `${frag.name.value}\u0000${graph ?? ''}\u0000${free ? 1 : 0}\u0000${rootKind ?? ''}\u0000${sized ? JSON.stringify([...sized]) : ''}`;
        // A cycle is refused by graphql's NoFragmentCyclesRule; here it just ends the walk.
        if (inProgress.has(key)) continue;
        let t = memo.get(key);
        if (!t) {
          inProgress.add(key);
          t = measure(cond, frag.selectionSet, graph, sized, free, rootKind);
          inProgress.delete(key);
          memo.set(key, t);
        }
        add(tally, t);
      }
    }
    return tally;
  };

  const out = new Map<OperationDefinitionNode, OperationMetrics>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = schema.getRootType(def.operation);
    if (!root) continue;
    const t = measure(root, def.selectionSet, null, null, false, def.operation);
    out.set(def, {
      aliases: t.aliases,
      rootFields: t.topFields,
      fragmentSpreads: t.fragmentSpreads,
      directives: t.directives + (def.directives?.length ?? 0) + (def.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0),
      depth: t.depth,
      sensitiveFields: t.sensitiveFields,
      cost: Math.round(t.cost),
      introspection: t.introspection,
      introspectionOnly: t.introspection && !t.topNonIntrospection,
    });
  }
  return out;
}

/** The most specific limit first: fifty aliased logins are refused as sensitive fields, not as aliases. */
const LIMIT_ORDER: readonly Exclude<LimitName, 'tokens'>[] = ['sensitiveFields', 'fragmentSpreads', 'aliases', 'rootFields', 'directives', 'depth', 'cost'];

/** The first limit an operation exceeds, with its value, or null. */
export function exceededLimit(metrics: OperationMetrics, limits: OperationLimits): { limit: LimitName; value: number; maximum: number } | null {
  for (const limit of LIMIT_ORDER) {
    if (metrics[limit] > limits[limit]) return { limit, value: metrics[limit], maximum: limits[limit] };
  }
  return null;
}

const LABELS: Record<LimitName, { en: string; ja: string }> = {
  tokens: { en: 'tokens', ja: 'トークン数' },
  aliases: { en: 'aliases', ja: 'エイリアス数' },
  rootFields: { en: 'root fields', ja: 'ルートフィールド数' },
  fragmentSpreads: { en: 'fragment spreads', ja: 'フラグメント展開数' },
  directives: { en: 'directives', ja: 'ディレクティブ数' },
  depth: { en: 'depth', ja: '階層の深さ' },
  sensitiveFields: { en: 'sensitive fields (login, password and code checks)', ja: '認証系フィールド数（ログイン・パスワード・確認コード）' },
  cost: { en: 'cost', ja: 'コスト' },
};

export const OPERATION_LIMIT_EXCEEDED = 'OPERATION_LIMIT_EXCEEDED';

/**
 * The refusal a client sees: `extensions.limit` names the limit, `value` what the operation
 * measured, `maximum` the limit; a refusal on cost also carries `extensions.cost`.
 */
export function limitError(limit: LimitName, value: number, maximum: number): GraphQLError {
  const label = LABELS[limit];
  const shown = Number.isFinite(value) ? Math.min(value, Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
  // The parser stops at the first token over the limit; a saturated count is "over" too.
  const moreThan = limit === 'tokens' || shown === Number.MAX_SAFE_INTEGER;
  const en = moreThan ? `more than ${limit === 'tokens' ? maximum : shown}` : String(shown);
  const ja = moreThan ? `${limit === 'tokens' ? maximum : shown}超` : String(shown);
  const extensions: Record<string, unknown> = { code: OPERATION_LIMIT_EXCEEDED, limit, value: shown, maximum, http: { status: 400 } };
  if (limit === 'cost') extensions.cost = shown;
  return new GraphQLError(
    `Operation refused: ${label.en} ${en} exceed the limit of ${maximum} (limit: ${limit}). 操作の${label.ja}が上限（${maximum}）を超えています（${ja}）。`,
    { extensions },
  );
}
