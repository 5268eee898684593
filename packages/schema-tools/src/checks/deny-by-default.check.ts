import {
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  Kind,
  type TypeNode,
} from 'graphql';
import type { Finding } from '../findings.ts';
import { type LoadedSubgraph, loadSubgraphs } from '../repo.ts';
import { isAuthDirective, isPublicTag } from './directives.ts';

/** Added by @apollo/subgraph itself; never written in our SDL, exempt if they ever are. */
const FEDERATION_FIELDS = new Set(['Query._service', 'Query._entities']);

/** Kinds whose type-level @authenticated / @requiresScopes protects every field returning them. */
const PROTECTABLE_KINDS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
]);

const FIELD_HOLDER_KINDS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
]);

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/**
 * (c) Deny by default, for one subgraph: every field of every object and interface type (definitions
 * and extensions alike, root types and entity stubs included) is covered by
 * - `@authenticated`, `@requiresScopes` or `@tag(name: "public")` on the field, or
 * - one of those on its own type (the definition or any extension of it in this subgraph), or
 * - `@authenticated` / `@requiresScopes` on the type it returns (Federation applies a type-level
 *   requirement to every field returning that type). A public tag on the returned type does not
 *   make a field public.
 */
export function denyByDefaultFindings(subgraph: LoadedSubgraph): Finding[] {
  const document = subgraph.document;
  if (!document) return [];
  const protectedTypes = new Set<string>(); // carry @authenticated / @requiresScopes
  const coveredHolders = new Set<string>(); // carry any of the three markers
  for (const definition of document.definitions) {
    if (!PROTECTABLE_KINDS.has(definition.kind) || !('name' in definition) || !definition.name) continue;
    const directives = ('directives' in definition ? definition.directives : undefined) ?? [];
    const name = definition.name.value;
    if (directives.some(isAuthDirective)) {
      protectedTypes.add(name);
      coveredHolders.add(name);
    }
    if (directives.some(isPublicTag)) coveredHolders.add(name);
  }

  const findings: Finding[] = [];
  for (const definition of document.definitions) {
    if (!FIELD_HOLDER_KINDS.has(definition.kind)) continue;
    const holder = definition as { name: { value: string }; fields?: readonly FieldDefinitionNode[] };
    const typeName = holder.name.value;
    for (const field of holder.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      if (FEDERATION_FIELDS.has(coordinate)) continue;
      const own: readonly ConstDirectiveNode[] = field.directives ?? [];
      const isPublic = own.some(isPublicTag);
      const isProtected = own.some(isAuthDirective);
      if (isPublic && isProtected) {
        findings.push({
          check: 'deny-by-default',
          severity: 'warning',
          message: `${subgraph.name}: ${coordinate} is marked both public and protected; the auth directive wins, drop one`,
          ...located(subgraph, field),
        });
      }
      if (isPublic || isProtected || coveredHolders.has(typeName) || protectedTypes.has(namedType(field.type))) continue;
      findings.push({
        check: 'deny-by-default',
        severity: 'error',
        message: `${subgraph.name}: ${coordinate} has neither @authenticated, @requiresScopes nor @tag(name: "public") (on the field, its type, or the type it returns)`,
        ...located(subgraph, field),
      });
    }
  }
  return findings;
}

function located(subgraph: LoadedSubgraph, node: FieldDefinitionNode): { location?: string } {
  const location = subgraph.locateNode(node);
  return location ? { location } : {};
}

export function checkDenyByDefault(root: string): Finding[] {
  return loadSubgraphs(root).flatMap(denyByDefaultFindings);
}
