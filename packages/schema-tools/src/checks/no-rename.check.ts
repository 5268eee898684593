import { type ConstDirectiveNode, type ConstValueNode, Kind, visit } from 'graphql';
import type { Finding } from '../findings.ts';
import { type LoadedSubgraph, loadSubgraphs } from '../repo.ts';
import { coordinateOf } from './coordinates.ts';
import { AUTH_DIRECTIVE_NAMES } from './directives.ts';

const FEDERATION_URL = /^https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+$/;
/** The stand-alone specs of the same directives: linking them directly bypasses the federation import. */
const STANDALONE_URL = /^https:\/\/specs\.apollo\.dev\/(authenticated|requiresScopes|tag)\/v\d+\.\d+$/;

const stripAt = (name: string) => name.replace(/^@/, '');

function stringArg(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

interface ImportEntry {
  name: string;
  as: string;
  node: ConstValueNode;
}

function importEntries(value: ConstValueNode | undefined): ImportEntry[] {
  if (!value) return [];
  const items = value.kind === Kind.LIST ? value.values : [value];
  return items.flatMap((item): ImportEntry[] => {
    if (item.kind === Kind.STRING) return [{ name: stripAt(item.value), as: stripAt(item.value), node: item }];
    if (item.kind === Kind.OBJECT) {
      const field = (key: string) => {
        const v = item.fields.find((f) => f.name.value === key)?.value;
        return v?.kind === Kind.STRING ? stripAt(v.value) : undefined;
      };
      const name = field('name');
      return name ? [{ name, as: field('as') ?? name, node: item }] : [];
    }
    return [];
  });
}

/**
 * (e) The auth directives keep their names: `@authenticated`, `@requiresScopes` and `@tag` are
 * imported from the federation spec under their own names, nothing else is imported under those
 * names, the subgraph does not define directives with those names, and does not use the
 * namespaced form (`@federation__requiresScopes`), which the other checks would not recognise.
 */
export function noRenameFindings(subgraph: LoadedSubgraph): Finding[] {
  if (!subgraph.document) return [];
  const findings: Finding[] = [];
  const report = (message: string, node: { loc?: { start: number } }) => {
    const location = node.loc ? subgraph.locate(node.loc.start) : undefined;
    findings.push({ check: 'no-rename', severity: 'error', message: `${subgraph.name}: ${message}`, ...(location ? { location } : {}) });
  };
  visit(subgraph.document, {
    DirectiveDefinition(node) {
      if (AUTH_DIRECTIVE_NAMES.includes(node.name.value)) {
        report(`defines its own directive @${node.name.value}; use Federation's (import it in @link)`, node);
      }
    },
    Directive(node, _key, _parent, _path, ancestors) {
      const directive = node as ConstDirectiveNode;
      const name = directive.name.value;
      const namespaced = /^(.+)__(.+)$/.exec(name);
      if (namespaced && AUTH_DIRECTIVE_NAMES.includes(namespaced[2]!)) {
        report(`uses @${name} on ${coordinateOf(ancestors)}; import @${namespaced[2]} by its own name and use that`, directive);
      }
      if (name !== 'link') return;
      const url = stringArg(directive, 'url') ?? '';
      if (STANDALONE_URL.test(url)) {
        report(`links ${url} directly; import its directive from the federation spec instead`, directive);
      }
      const isFederation = FEDERATION_URL.test(url);
      for (const entry of importEntries(directive.arguments?.find((a) => a.name.value === 'import')?.value)) {
        if (AUTH_DIRECTIVE_NAMES.includes(entry.name)) {
          if (!isFederation) report(`imports @${entry.name} from ${url || 'an unnamed spec'}; import it from the federation spec`, entry.node);
          else if (entry.as !== entry.name) report(`renames @${entry.name} to @${entry.as} in @link; auth directives must keep their names`, entry.node);
        } else if (AUTH_DIRECTIVE_NAMES.includes(entry.as)) {
          report(`imports @${entry.name} as @${entry.as}, taking the name of an auth directive`, entry.node);
        }
      }
      return undefined;
    },
  });
  return findings;
}

export function checkNoRename(root: string): Finding[] {
  return loadSubgraphs(root).flatMap(noRenameFindings);
}
