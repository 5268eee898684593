import path from 'node:path';
import { type ASTNode, type DocumentNode, GraphQLError, parse, Source } from 'graphql';
import { joinSdlSources, readSubgraphSources, type SdlSource, SUBGRAPHS, type SubgraphInfo, subgraphUrl } from './subgraphs.ts';

/** A subgraph read from a repository checkout, parsed, and able to point back into its files. */
export interface LoadedSubgraph {
  readonly name: string;
  readonly url: string;
  /** Folder relative to the repo root. */
  readonly dir: string;
  readonly sources: readonly SdlSource[];
  readonly sdl: string;
  /** Undefined when the SDL is missing or does not parse (see `problem`). */
  readonly document: DocumentNode | undefined;
  readonly problem: { message: string; location?: string } | undefined;
  /** `file:line:column` (relative to the repo root) of a character offset in the concatenated SDL. */
  locate(offset: number): string;
  /** Location of an AST node of `document`. */
  locateNode(node: ASTNode | undefined): string | undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function loadSubgraph(root: string, info: SubgraphInfo): LoadedSubgraph {
  const sources = readSubgraphSources(path.join(root, info.dir));
  const sdl = joinSdlSources(sources);
  const locate = (offset: number): string => {
    let source = sources[0];
    for (const s of sources) if (s.offset <= offset) source = s;
    if (!source) return info.dir;
    const { line, column } = lineAndColumn(source.body, offset - source.offset);
    return `${path.relative(root, source.file).split(path.sep).join('/')}:${line}:${column}`;
  };
  let document: DocumentNode | undefined;
  let problem: LoadedSubgraph['problem'];
  if (sources.length === 0) {
    problem = { message: `${info.name}: no .graphql files under ${info.dir}/src`, location: `${info.dir}/src` };
  } else {
    try {
      // The source is named after the subgraph so composition errors can be traced back to it.
      document = parse(new Source(sdl, info.name));
    } catch (error) {
      const position = error instanceof GraphQLError ? error.positions?.[0] : undefined;
      problem = {
        message: `${info.name}: ${error instanceof Error ? error.message : String(error)}`,
        ...(position !== undefined ? { location: locate(position) } : {}),
      };
    }
  }
  return {
    name: info.name,
    url: subgraphUrl(info.port),
    dir: info.dir,
    sources,
    sdl,
    document,
    problem,
    locate,
    locateNode: (node) => (node?.loc ? locate(node.loc.start) : undefined),
  };
}

export function loadSubgraphs(root: string, registry: readonly SubgraphInfo[] = SUBGRAPHS): LoadedSubgraph[] {
  return registry.map((info) => loadSubgraph(root, info));
}
