import { isKnownScope, KNOWN_SCOPES } from '@portal/auth';
import { type ConstDirectiveNode, type ConstValueNode, Kind, visit } from 'graphql';
import type { Finding } from '../findings.ts';
import { type LoadedSubgraph, loadSubgraphs } from '../repo.ts';
import { coordinateOf } from './coordinates.ts';
import { REQUIRES_SCOPES } from './directives.ts';

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function suggestion(scope: string): string {
  const best = [...KNOWN_SCOPES]
    .map((known) => ({ known, d: distance(scope, known) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(scope.length / 3)) ? ` (did you mean "${best.known}"?)` : '';
}

/** GraphQL input coercion accepts `"a"` and `["a"]` for `[[Scope!]!]!`; normalise to the list of lists. */
function alternatives(value: ConstValueNode): ConstValueNode[][] {
  if (value.kind !== Kind.LIST) return [[value]];
  return value.values.map((inner) => (inner.kind === Kind.LIST ? [...inner.values] : [inner]));
}

/** (d) Every scope in every `@requiresScopes` of one subgraph is a known scope, and no scope list is empty. */
export function scopeFindings(subgraph: LoadedSubgraph): Finding[] {
  if (!subgraph.document) return [];
  const findings: Finding[] = [];
  const report = (message: string, directive: ConstDirectiveNode, at: string, node = directive as { loc?: { start: number } }) => {
    const location = node.loc ? subgraph.locate(node.loc.start) : undefined;
    findings.push({ check: 'scopes', severity: 'error', message: `${subgraph.name}: ${at}: ${message}`, ...(location ? { location } : {}) });
  };
  visit(subgraph.document, {
    Directive(node, _key, _parent, _path, ancestors) {
      if (node.name.value !== REQUIRES_SCOPES) return;
      const directive = node as ConstDirectiveNode;
      const at = coordinateOf(ancestors);
      const scopes = directive.arguments?.find((a) => a.name.value === 'scopes')?.value;
      if (!scopes) return report('@requiresScopes without a scopes argument', directive, at);
      const alternativeLists = alternatives(scopes);
      if (alternativeLists.length === 0) return report('@requiresScopes with an empty scopes list (it would let anyone in)', directive, at);
      for (const all of alternativeLists) {
        if (all.length === 0) report('@requiresScopes with an empty scope set (it would let anyone in)', directive, at);
        for (const scope of all) {
          if (scope.kind !== Kind.STRING) {
            report(`@requiresScopes scope must be a string literal, got ${scope.kind}`, directive, at, scope);
          } else if (!isKnownScope(scope.value)) {
            report(`unknown scope "${scope.value}"${suggestion(scope.value)}`, directive, at, scope);
          }
        }
      }
      return undefined;
    },
  });
  return findings;
}

export function checkScopes(root: string): Finding[] {
  return loadSubgraphs(root).flatMap(scopeFindings);
}
