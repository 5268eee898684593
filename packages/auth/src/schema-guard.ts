import {
  GraphQLError,
  defaultFieldResolver,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { meets, missingScopes, type Requirement, type RequirementIndex } from './requirements.ts';

/** What a guard needs to know about the caller; read from the request context. */
export interface GuardSubject {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
}

export interface GuardReport {
  guardedFields: number;
  /** Directive occurrences of the index that the guard enforces; must equal `index.occurrences`. */
  coveredOccurrences: number;
}

/**
 * Enforces the auth directives inside a subgraph by wrapping the resolvers of every field that
 * a directive governs (on the field, on its parent type, on an interface field it implements, or
 * on its return type) and the reference resolvers of guarded entity types, so `_entities` is
 * guarded too. Mutates the given executable schema and refuses (throws) when any directive
 * occurrence is left unenforced.
 */
export function guardSubgraphSchema(
  schema: GraphQLSchema,
  index: RequirementIndex,
  subjectOf: (context: unknown) => GuardSubject,
): GuardReport {
  const covered = new Set<Requirement>();
  let guardedFields = 0;

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    const typeReqs = index.types.get(type.name) ?? [];
    const interfaceFieldReqs = (fieldName: string) =>
      type.getInterfaces().flatMap((i) => [...(index.fields.get(`${i.name}.${fieldName}`) ?? []), ...(index.types.get(i.name) ?? [])]);

    for (const field of Object.values(type.getFields())) {
      const reqs = [
        ...typeReqs,
        ...(index.fields.get(`${type.name}.${field.name}`) ?? []),
        ...interfaceFieldReqs(field.name),
        ...(index.types.get(getNamedType(field.type).name) ?? []),
      ];
      if (reqs.length === 0) continue;
      reqs.forEach((r) => covered.add(r));
      field.resolve = guarded(reqs, field.resolve ?? defaultFieldResolver, subjectOf);
      guardedFields++;
    }

    const apollo = (type.extensions as { apollo?: { subgraph?: { resolveReference?: GraphQLFieldResolver<unknown, unknown> } } }).apollo;
    const resolveReference = apollo?.subgraph?.resolveReference;
    if (resolveReference && typeReqs.length > 0 && apollo?.subgraph) {
      // Refuse before loading rows the caller could not see anyway.
      apollo.subgraph.resolveReference = (ref: unknown, context: unknown, info: unknown) => {
        assertMeets(typeReqs, subjectOf(context));
        return (resolveReference as (r: unknown, c: unknown, i: unknown) => unknown)(ref, context, info);
      };
    }
  }

  // Directives on interfaces (type level) are enforced through their implementations' fields.
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInterfaceType(type) && schema.getPossibleTypes(type).length > 0) (index.types.get(type.name) ?? []).forEach((r) => covered.add(r));
  }

  let coveredOccurrences = 0;
  for (const reqs of [...index.types.values(), ...index.fields.values()]) for (const r of reqs) if (covered.has(r)) coveredOccurrences++;
  if (coveredOccurrences !== index.occurrences) {
    const missing = [...index.types.values(), ...index.fields.values()].flat().filter((r) => !covered.has(r)).map((r) => r.source);
    throw new Error(`Auth directives not enforced by the schema guard: ${missing.join(', ') || '(unknown locations)'}`);
  }
  return { guardedFields, coveredOccurrences };
}

function guarded(
  reqs: readonly Requirement[],
  resolve: GraphQLFieldResolver<unknown, unknown>,
  subjectOf: (context: unknown) => GuardSubject,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    assertMeets(reqs, subjectOf(context));
    return resolve(source, args, context, info);
  };
}

function assertMeets(reqs: readonly Requirement[], subject: GuardSubject): void {
  for (const req of reqs) {
    if (meets(req, subject.authenticated, subject.scopes)) continue;
    if (!subject.authenticated) {
      throw new GraphQLError('Authentication required. ログインが必要です。', { extensions: { code: 'UNAUTHENTICATED' } });
    }
    throw new GraphQLError(`Forbidden: ${req.source} needs ${missingScopes(req, subject.scopes).map((m) => m.join('+')).join(' or ')}. この操作を行う権限がありません。`, {
      extensions: { code: 'FORBIDDEN', rule: req.source, missingScopes: missingScopes(req, subject.scopes) },
    });
  }
}
