import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { meets, missingScopes, type Requirement, type RequirementIndex } from './requirements.ts';

/** One place in an operation that needs more than nothing: the response path and what it needs. */
export interface GuardedPath {
  path: string;
  requirements: readonly Requirement[];
}

export interface Violation {
  path: string;
  /** Alternatives (OR) of scope sets (AND) still missing; empty when only a session is missing. */
  missing: string[][];
  source: string;
}

/**
 * Finds every requirement an operation triggers, through fragments, aliases, inline fragments and
 * interfaces, before anything is executed. The result does not depend on who asks, so it is cached
 * per document by the caller and evaluated per identity with `evaluate`.
 *
 * A fragment is walked once per response path and parent type: spreading it again at the same
 * place adds nothing, so a chain of fragments that each spread the next one twice is walked once
 * per fragment instead of once per spread path (2^n; a 1 KB request held the event loop 20 s).
 */
export function collectRequirements(
  schema: GraphQLSchema,
  index: RequirementIndex,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): GuardedPath[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const out: GuardedPath[] = [];
  const walked = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (!root) return out;

  const typeReqs = (type: GraphQLNamedType): readonly Requirement[] => {
    const own = index.types.get(type.name) ?? [];
    if (!isAbstractType(type)) return own;
    // An abstract type may resolve to any implementation: every implementation's type requirement applies.
    const impls = schema.getPossibleTypes(type).flatMap((t) => index.types.get(t.name) ?? []);
    return [...own, ...impls];
  };

  const walk = (parent: GraphQLNamedType, selectionSet: SelectionSetNode, path: string, seen: ReadonlySet<string>) => {
    for (const sel of selectionSet.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        if (name.startsWith('__')) continue;
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const responsePath = path ? `${path}.${sel.alias?.value ?? name}` : (sel.alias?.value ?? name);
        const reqs: Requirement[] = [...(index.fields.get(`${parent.name}.${name}`) ?? [])];
        if (isInterfaceType(parent)) {
          for (const impl of schema.getPossibleTypes(parent)) reqs.push(...(index.fields.get(`${impl.name}.${name}`) ?? []));
        }
        const returned = getNamedType(field.type);
        reqs.push(...typeReqs(returned));
        if (reqs.length > 0) out.push({ path: responsePath, requirements: reqs });
        if (sel.selectionSet) walk(returned, sel.selectionSet, responsePath, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (!cond) continue;
        if (cond !== parent) {
          const reqs = typeReqs(cond);
          if (reqs.length > 0) out.push({ path: `${path}<${cond.name}>`, requirements: reqs });
        }
        walk(cond, sel.selectionSet, path, seen);
      } else {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        const cond = schema.getType(frag.typeCondition.name.value);
        if (!cond) continue;
        const place = `${frag.name.value}\u0000${parent.name}\u0000${path}`;
        if (walked.has(place)) continue;
        walked.add(place);
        if (cond !== parent) {
          const reqs = typeReqs(cond);
          if (reqs.length > 0) out.push({ path: `${path}<${cond.name}>`, requirements: reqs });
        }
        walk(cond, frag.selectionSet, path, new Set([...seen, frag.name.value]));
      }
    }
  };
  const rootReqs = index.types.get(root.name) ?? [];
  if (rootReqs.length > 0) out.push({ path: '', requirements: rootReqs });
  walk(root, operation.selectionSet, '', new Set());
  return out;
}

/** The violations of the guarded paths for one identity. */
export function evaluate(guarded: readonly GuardedPath[], authenticated: boolean, scopes: ReadonlySet<string>): Violation[] {
  const violations: Violation[] = [];
  for (const g of guarded) {
    for (const req of g.requirements) {
      if (!meets(req, authenticated, scopes)) {
        violations.push({ path: g.path, missing: authenticated ? missingScopes(req, scopes) : [], source: req.source });
      }
    }
  }
  return violations;
}

/** The error a client sees: UNAUTHENTICATED without a session, else FORBIDDEN with the paths and missing scopes. */
export function violationError(violations: readonly Violation[], authenticated: boolean): GraphQLError {
  if (!authenticated) {
    return new GraphQLError('Authentication required. ログインが必要です。', {
      extensions: { code: 'UNAUTHENTICATED', paths: [...new Set(violations.map((v) => v.path))] },
    });
  }
  const forbidden = violations.map((v) => ({ path: v.path, missingScopes: v.missing, rule: v.source }));
  const summary = [...new Set(violations.map((v) => `${v.path || '(root)'} needs ${v.missing.map((m) => m.join('+')).join(' or ')}`))];
  return new GraphQLError(`Forbidden: ${summary.join('; ')}. この操作を行う権限がありません。`, {
    extensions: { code: 'FORBIDDEN', forbidden },
  });
}
