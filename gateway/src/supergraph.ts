import { Kind, parse, print, visit, type DocumentNode } from 'graphql';
import { buildRequirementIndex, countAuthDirectives, type RequirementIndex } from '@portal/auth';

export interface LoadedSupergraph {
  /** The SDL handed to @apollo/gateway: the committed supergraph with `for: SECURITY` removed. */
  gatewaySdl: string;
  /** The auth directives read from the committed supergraph (before anything was removed). */
  index: RequirementIndex;
  /** How many auth directive occurrences the committed supergraph holds. */
  directiveCount: number;
  /** The committed supergraph, parsed: cost directives and tags are read from it (cost-index.ts). */
  document: DocumentNode;
  /** Each subgraph's name and composed URL, from the `join__Graph` enum's `@join__graph(name:, url:)`. */
  subgraphUrls: ReadonlyMap<string, string>;
}

/**
 * @apollo/gateway 2.14 refuses a supergraph whose `@link` to authenticated/requiresScopes says
 * `for: SECURITY` ("is for: SECURITY but is unsupported"): the purpose means "only a router that
 * enforces this may serve it". We enforce it ourselves (auth-plugin.ts), so we read the directives
 * from the committed SDL first and only then drop the purpose for the gateway's loader.
 */
export function loadSupergraph(committedSdl: string): LoadedSupergraph {
  const doc = parse(committedSdl);
  const index = buildRequirementIndex(doc);
  const directiveCount = countAuthDirectives(doc);
  const stripped: DocumentNode = visit(doc, {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const url = node.arguments?.find((a) => a.name.value === 'url');
      const isAuth = url?.value.kind === Kind.STRING && /specs\.apollo\.dev\/(authenticated|requiresScopes)\//.test(url.value.value);
      if (!isAuth) return undefined;
      return { ...node, arguments: node.arguments?.filter((a) => a.name.value !== 'for') };
    },
  });
  return { gatewaySdl: print(stripped), index, directiveCount, document: doc, subgraphUrls: subgraphUrlsOf(doc) };
}

/**
 * The subgraphs a supergraph was composed from, read from the parsed document (the join spec puts
 * them on the values of the `join__Graph` enum) rather than from the SDL's text, so argument order,
 * spacing or escapes in a URL cannot hide a subgraph from the health check and the breakers.
 */
export function subgraphUrlsOf(doc: DocumentNode): Map<string, string> {
  const urls = new Map<string, string>();
  for (const definition of doc.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = (name: string) => {
        const node = graph?.arguments?.find((a) => a.name.value === name)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      const name = arg('name');
      const url = arg('url');
      if (name !== undefined && url !== undefined) urls.set(name, url);
    }
  }
  return urls;
}
