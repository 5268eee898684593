/**
 * The floor: an operation's query plan, made once by the same planner our gateway uses
 * (@apollo/query-planner on the same supergraph), executed by a minimal hand-written client that
 * does only what any gateway must — the fetches in plan order, one representation per distinct
 * entity, results merged back — and nothing else (no validation, no auth, no response shaping).
 */
import { parse } from 'graphql';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan, type QueryPlanSelectionNode } from '@apollo/query-planner';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface SubgraphCall {
  (serviceName: string, query: string, variables: Record<string, unknown>): Promise<{ data?: JsonObject | null; errors?: unknown[] }>;
}

export class Planner {
  readonly #supergraph: Supergraph;
  readonly #planner: QueryPlanner;
  readonly #apiSchema;

  constructor(gatewaySdl: string) {
    this.#supergraph = Supergraph.build(gatewaySdl);
    this.#apiSchema = this.#supergraph.apiSchema();
    this.#planner = new QueryPlanner(this.#supergraph);
  }

  plan(query: string, operationName?: string): QueryPlan {
    const operation = operationFromDocument(this.#apiSchema, parse(query), operationName ? { operationName } : {});
    return this.#planner.buildQueryPlan(operation);
  }
}

export interface ExecutionStats {
  fetches: number;
  representations: number;
}

/** Executes a plan; `data` is the merged result of every fetch (as the subgraphs answered it). */
export async function executePlan(plan: QueryPlan, variables: Record<string, unknown>, call: SubgraphCall, stats?: ExecutionStats): Promise<{ data: JsonObject; errors: unknown[] }> {
  const data: JsonObject = {};
  const errors: unknown[] = [];
  const node = plan.node;
  if (node) {
    if (node.kind === 'Subscription') throw new Error('subscriptions are not part of the bench');
    await run(node, [data]);
  }
  return { data, errors };

  async function run(n: PlanNode, entities: JsonObject[]): Promise<void> {
    switch (n.kind) {
      case 'Sequence':
        for (const child of n.nodes) await run(child, entities);
        return;
      case 'Parallel':
        await Promise.all(n.nodes.map((child) => run(child, entities)));
        return;
      case 'Flatten':
        return run(n.node, entities.flatMap((e) => collect(e, n.path)));
      case 'Fetch':
        return fetchNode(n, entities);
      default:
        throw new Error(`plan node ${n.kind} is not used by the bench`);
    }
  }

  async function fetchNode(fetch: FetchNode, entities: JsonObject[]): Promise<void> {
    const vars: Record<string, unknown> = {};
    for (const name of fetch.variableUsages ?? []) if (name in variables) vars[name] = variables[name];
    if (!fetch.requires) {
      const result = await call(fetch.serviceName, fetch.operation, vars);
      if (stats) stats.fetches++;
      if (result.errors) errors.push(...result.errors);
      for (const entity of entities) if (result.data) merge(entity, result.data);
      return;
    }
    const { representations, slotOf } = dedupeRepresentations(entities, fetch.requires);
    if (representations.length === 0) return;
    const result = await call(fetch.serviceName, fetch.operation, { ...vars, representations });
    if (stats) {
      stats.fetches++;
      stats.representations += representations.length;
    }
    if (result.errors) errors.push(...result.errors);
    const received = (result.data?._entities ?? []) as Json[];
    slotOf.forEach((slot, i) => {
      const value = slot === undefined ? undefined : received[slot];
      if (value && typeof value === 'object' && !Array.isArray(value)) merge(entities[i]!, value);
    });
  }
}

/**
 * One representation per distinct entity, in first-seen order; `slotOf[i]` is the index of entity
 * i's representation (undefined when the entity does not match the fetch's type condition).
 */
export function dedupeRepresentations(entities: readonly JsonObject[], requires: readonly QueryPlanSelectionNode[]): { representations: JsonObject[]; slotOf: (number | undefined)[] } {
  const representations: JsonObject[] = [];
  const index = new Map<string, number>();
  const slotOf = entities.map((entity) => {
    const rep = select(entity, requires);
    if (!rep) return undefined;
    const key = JSON.stringify(rep);
    let slot = index.get(key);
    if (slot === undefined) {
      slot = representations.length;
      representations.push(rep);
      index.set(key, slot);
    }
    return slot;
  });
  return { representations, slotOf };
}

function select(entity: JsonObject, selections: readonly QueryPlanSelectionNode[]): JsonObject | null {
  let out: JsonObject | null = null;
  for (const s of selections) {
    if (s.kind === 'InlineFragment') {
      if (s.typeCondition && entity.__typename !== s.typeCondition) continue;
      const inner = select(entity, s.selections);
      if (inner) out = Object.assign(out ?? {}, inner);
    } else {
      const key = s.alias ?? s.name;
      const value = entity[key];
      if (value === undefined) continue;
      out ??= {};
      out[s.name] = s.selections && value && typeof value === 'object' && !Array.isArray(value) ? select(value, s.selections) : value;
    }
  }
  return out;
}

function collect(value: Json | undefined, path: readonly (string | number)[]): JsonObject[] {
  if (value === null || value === undefined) return [];
  if (path.length === 0) {
    if (Array.isArray(value)) return value.flatMap((v) => collect(v, path));
    return typeof value === 'object' ? [value] : [];
  }
  const [head, ...rest] = path;
  if (head === '@') return Array.isArray(value) ? value.flatMap((v) => collect(v, rest)) : [];
  if (typeof value !== 'object' || Array.isArray(value)) return [];
  return collect(value[head as string], rest);
}

function merge(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing && value && typeof existing === 'object' && typeof value === 'object') {
      if (Array.isArray(existing) && Array.isArray(value)) {
        value.forEach((v, i) => {
          const e = existing[i];
          if (e && v && typeof e === 'object' && typeof v === 'object' && !Array.isArray(e) && !Array.isArray(v)) merge(e, v);
          else existing[i] = v;
        });
      } else if (!Array.isArray(existing) && !Array.isArray(value)) merge(existing, value);
      else target[key] = value;
    } else target[key] = value;
  }
}
