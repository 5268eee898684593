import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSchema as printFederationSchema } from '@apollo/federation-internals';
import { type ASTNode, buildSchema, type GraphQLError, type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { type LoadedSubgraph, loadSubgraphs } from './repo.ts';
import type { SubgraphInfo } from './subgraphs.ts';

export const SUPERGRAPH_FILE = 'supergraph.graphql';
export const API_SCHEMA_FILE = 'schema/api.graphql';

export interface CompositionProblem {
  message: string;
  code?: string;
  location?: string;
}

export interface ComposedSchemas {
  ok: true;
  /** The standard supergraph SDL, as @apollo/composition prints it (with `for: SECURITY` links). */
  supergraphSdl: string;
  /** The client-facing API schema, sorted and printed by graphql-js. */
  apiSdl: string;
  apiSchema: GraphQLSchema;
  hints: CompositionProblem[];
}

export interface CompositionFailed {
  ok: false;
  errors: CompositionProblem[];
}

export type CompositionOutcome = ComposedSchemas | CompositionFailed;

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function locateNodes(nodes: readonly ASTNode[] | undefined, subgraphs: readonly LoadedSubgraph[]): string | undefined {
  for (const node of nodes ?? []) {
    const loc = node.loc;
    const subgraph = loc && subgraphs.find((s) => s.name === loc.source.name);
    if (loc && subgraph) return subgraph.locate(loc.start);
  }
  return undefined;
}

function problem(message: string, code: string | undefined, location: string | undefined): CompositionProblem {
  return { message, ...(code ? { code } : {}), ...(location ? { location } : {}) };
}

/** Composes already loaded subgraphs (in the order given) and derives the API schema. */
export function composeLoaded(subgraphs: readonly LoadedSubgraph[]): CompositionOutcome {
  const unreadable = subgraphs.filter((s) => s.problem);
  if (unreadable.length > 0) {
    return { ok: false, errors: unreadable.map((s) => problem(s.problem!.message, undefined, s.problem!.location)) };
  }
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.document! })),
  );
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((e) => problem(e.message, codeOf(e), locateNodes(e.nodes, subgraphs))),
    };
  }
  // Through text, not graphql-js objects: @apollo/federation-internals loads graphql's CommonJS
  // build, and under an ESM runner (vitest) our graphql import is the other copy ("another realm").
  const api = lexicographicSortSchema(buildSchema(printFederationSchema(result.schema.toAPISchema())));
  const apiSdl = withNewline(printSchema(api));
  return {
    ok: true,
    supergraphSdl: withNewline(result.supergraphSdl),
    apiSdl,
    // Rebuilt from the printed text so comparisons and validation see exactly what is committed.
    apiSchema: buildSchema(apiSdl),
    hints: result.hints.map((h) => problem(h.message, h.definition.code, locateNodes(h.nodes, subgraphs))),
  };
}

function codeOf(error: GraphQLError): string | undefined {
  const code = error.extensions?.['code'];
  return typeof code === 'string' ? code : undefined;
}

const cache = new Map<string, CompositionOutcome>();

/** Reads the subgraphs of the checkout at `root` and composes them; memoised on the SDL text. */
export function composeRepo(root: string, registry?: readonly SubgraphInfo[]): CompositionOutcome {
  const subgraphs = loadSubgraphs(root, registry);
  const key = JSON.stringify(subgraphs.map((s) => [s.name, s.url, s.sdl]));
  let outcome = cache.get(key);
  if (!outcome) {
    outcome = composeLoaded(subgraphs);
    cache.set(key, outcome);
  }
  return outcome;
}

/** Writes `supergraph.graphql` and `schema/api.graphql` under `root`; returns the paths written. */
export function writeComposition(root: string, composed: ComposedSchemas): string[] {
  const files: Array<[string, string]> = [
    [SUPERGRAPH_FILE, composed.supergraphSdl],
    [API_SCHEMA_FILE, composed.apiSdl],
  ];
  for (const [file, text] of files) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return files.map(([file]) => file);
}

export function formatProblem(p: CompositionProblem): string {
  return `${p.code ? `[${p.code}] ` : ''}${p.message}${p.location ? `\n    at ${p.location}` : ''}`;
}
