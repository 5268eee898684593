import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  Kind,
  NoUnusedFragmentsRule,
  parse,
  Source,
  specifiedRules,
  validate,
  visit,
} from 'graphql';
import { type ClientDocument, findClientDocuments } from '../client-documents.ts';
import { composeRepo } from '../compose.ts';
import type { Finding } from '../findings.ts';

/** A fragment may live in its own document and be used elsewhere, so "unused here" is not an error. */
const RULES = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);

interface Parsed {
  document: ClientDocument;
  ast: DocumentNode;
}

function locationOf(doc: ClientDocument, line: number, column: number): string {
  return `${doc.file}:${doc.line + line - 1}:${line === 1 ? doc.column + column - 1 : column}`;
}

function spreadNames(definitions: readonly DefinitionNode[]): Set<string> {
  const names = new Set<string>();
  for (const definition of definitions) {
    visit(definition, { FragmentSpread: (node) => void names.add(node.name.value) });
  }
  return names;
}

/** (g) Every client document validates against `schema`; fragments resolve by name across all documents. */
export function clientOperationFindings(documents: readonly ClientDocument[], schema: GraphQLSchema): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (message: string, location: string) => {
    const key = `${location}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ check: 'client-operations', severity: 'error', message: `${location.split(':')[0]}: ${message}`, location });
  };

  const parsed: Parsed[] = [];
  const sources = new Map<Source, ClientDocument>();
  for (const document of documents) {
    if (document.body.trim() === '') continue;
    const source = new Source(document.body, document.file);
    sources.set(source, document);
    try {
      parsed.push({ document, ast: parse(source) });
    } catch (error) {
      const at = (error as GraphQLError).locations?.[0];
      report(error instanceof Error ? error.message : String(error), at ? locationOf(document, at.line, at.column) : document.file);
    }
  }

  const fragments = new Map<string, { node: FragmentDefinitionNode; document: ClientDocument }>();
  const operations = new Map<string, ClientDocument>();
  for (const { document, ast } of parsed) {
    for (const definition of ast.definitions) {
      const at = definition.loc ? locationOf(document, definition.loc.startToken.line, definition.loc.startToken.column) : document.file;
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const other = fragments.get(definition.name.value);
        if (other && other.node !== definition) report(`fragment ${definition.name.value} is also defined in ${other.document.file}`, at);
        else fragments.set(definition.name.value, { node: definition, document });
      } else if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) {
        const other = operations.get(definition.name.value);
        if (other) report(`operation ${definition.name.value} is also defined in ${other.file}`, at);
        else operations.set(definition.name.value, document);
      }
    }
  }

  for (const { document, ast } of parsed) {
    const definitions: DefinitionNode[] = [...ast.definitions];
    const local = new Set(ast.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : [])));
    // Pull in fragments defined in other documents, transitively.
    let pending = [...spreadNames(definitions)].filter((name) => !local.has(name));
    while (pending.length > 0) {
      const next: FragmentDefinitionNode[] = [];
      for (const name of pending) {
        const fragment = fragments.get(name);
        if (!fragment || local.has(name)) continue;
        local.add(name);
        next.push(fragment.node);
      }
      definitions.push(...next);
      pending = [...spreadNames(next)].filter((name) => !local.has(name));
    }
    for (const error of validate(schema, { kind: Kind.DOCUMENT, definitions }, RULES)) {
      const origin = (error.source && sources.get(error.source)) ?? document;
      const at = error.locations?.[0];
      report(error.message, at ? locationOf(origin, at.line, at.column) : origin.file);
    }
  }
  return findings;
}

export function checkClientOperations(root: string): Finding[] {
  const outcome = composeRepo(root);
  if (!outcome.ok) return []; // reported by the composition check
  return clientOperationFindings(findClientDocuments(root), outcome.apiSchema);
}
