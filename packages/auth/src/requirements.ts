import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ConstValueNode } from 'graphql';

/**
 * What one occurrence of an auth directive demands. `scopes` is Federation's shape:
 * the outer list is OR, each inner list is AND. `authenticated` alone demands any session.
 */
export interface Requirement {
  authenticated: boolean;
  scopes: readonly (readonly string[])[] | null;
  /** Where the directive stands, e.g. `Invoice` or `Mutation.holdInvoiceLine`, for messages. */
  source: string;
}

/**
 * Auth requirements read from SDL: per type (object, interface, scalar, enum) and per field
 * (`Type.field`). Both the gateway (from the supergraph) and each subgraph (from its own SDL)
 * build this index, so both enforce the very same directives.
 */
export interface RequirementIndex {
  types: ReadonlyMap<string, readonly Requirement[]>;
  fields: ReadonlyMap<string, readonly Requirement[]>;
  /** Fields explicitly marked public with `@tag(name: "public")`. */
  publicFields: ReadonlySet<string>;
  /** How many auth directive occurrences the SDL holds; enforcement must account for all of them. */
  occurrences: number;
}

const AUTHENTICATED_SPEC = 'https://specs.apollo.dev/authenticated/';
const REQUIRES_SCOPES_SPEC = 'https://specs.apollo.dev/requiresScopes/';
const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/';

export interface AuthDirectiveNames {
  authenticated: ReadonlySet<string>;
  requiresScopes: ReadonlySet<string>;
}

/**
 * Every name the auth directives may carry in this document. In a supergraph each feature has its
 * own `@link(url: ".../requiresScopes/v0.1", as: ..., import: [{name: "@requiresScopes", as: ...}])`;
 * in a subgraph they are imported from the federation spec (possibly renamed) or used namespaced
 * (`@federation__requiresScopes`).
 *
 * Fix: this used to follow only the feature link's `as:`. A subgraph that renamed the directive on
 * import or wrote `@federation__requiresScopes` composes to a supergraph whose link says
 * `import: [{name: "@requiresScopes", as: "@scopes"}]`; those directives were then invisible to the
 * index AND to countAuthDirectives, so neither the gateway nor the subgraph enforced them and the
 * start-up coverage checks still agreed (0 = 0). The default names stay recognised (fail closed).
 */
export function authDirectiveNames(doc: DocumentNode): AuthDirectiveNames {
  const authenticated = new Set(['authenticated']);
  const requiresScopes = new Set(['requiresScopes']);
  const addImports = (d: ConstDirectiveNode, original: string, into: Set<string>) => {
    const imports = d.arguments?.find((a) => a.name.value === 'import')?.value;
    for (const item of imports?.kind === Kind.LIST ? imports.values : imports ? [imports] : []) {
      if (item.kind !== Kind.OBJECT) continue; // a plain "@name" import keeps the default name
      const field = (n: string) => item.fields.find((f) => f.name.value === n)?.value;
      const name = field('name');
      const as = field('as');
      if (name?.kind === Kind.STRING && name.value.replace(/^@/, '') === original && as?.kind === Kind.STRING) into.add(as.value.replace(/^@/, ''));
    }
  };
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'link') continue;
      const url = stringArg(d, 'url');
      if (!url) continue;
      const as = stringArg(d, 'as')?.replace(/^@/, '');
      if (url.startsWith(AUTHENTICATED_SPEC)) {
        if (as) authenticated.add(as);
        addImports(d, 'authenticated', authenticated);
      } else if (url.startsWith(REQUIRES_SCOPES_SPEC)) {
        if (as) requiresScopes.add(as);
        addImports(d, 'requiresScopes', requiresScopes);
      } else if (url.startsWith(FEDERATION_SPEC)) {
        const namespace = as ?? 'federation';
        authenticated.add(`${namespace}__authenticated`);
        requiresScopes.add(`${namespace}__requiresScopes`);
        addImports(d, 'authenticated', authenticated);
        addImports(d, 'requiresScopes', requiresScopes);
      }
    }
  }
  return { authenticated, requiresScopes };
}

export function buildRequirementIndex(sdl: string | DocumentNode): RequirementIndex {
  const doc = typeof sdl === 'string' ? parse(sdl) : sdl;
  const names = authDirectiveNames(doc);
  const types = new Map<string, Requirement[]>();
  const fields = new Map<string, Requirement[]>();
  const publicFields = new Set<string>();
  let occurrences = 0;

  const read = (directives: readonly ConstDirectiveNode[] | undefined, source: string): Requirement[] => {
    const out: Requirement[] = [];
    for (const d of directives ?? []) {
      if (names.authenticated.has(d.name.value)) {
        out.push({ authenticated: true, scopes: null, source });
        occurrences++;
      } else if (names.requiresScopes.has(d.name.value)) {
        out.push({ authenticated: true, scopes: scopesArg(d), source });
        occurrences++;
      }
    }
    return out;
  };
  const add = (map: Map<string, Requirement[]>, key: string, reqs: Requirement[]) => {
    if (reqs.length === 0) return;
    map.set(key, [...(map.get(key) ?? []), ...reqs]);
  };

  for (const def of doc.definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const typeName = def.name.value;
        add(types, typeName, read(def.directives, typeName));
        for (const field of def.fields ?? []) {
          const key = `${typeName}.${field.name.value}`;
          add(fields, key, read(field.directives, key));
          if (field.directives?.some(isPublicTag)) publicFields.add(key);
        }
        break;
      }
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        add(types, def.name.value, read(def.directives, def.name.value));
        break;
      default:
        break;
    }
  }
  return { types, fields, publicFields, occurrences };
}

/** Counts every auth directive anywhere in the document, whatever it is attached to. */
export function countAuthDirectives(sdl: string | DocumentNode): number {
  const doc = typeof sdl === 'string' ? parse(sdl) : sdl;
  const names = authDirectiveNames(doc);
  let count = 0;
  const visitNode = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visitNode);
      return;
    }
    const n = node as { kind?: string; name?: { value: string } };
    if (n.kind === Kind.DIRECTIVE && n.name && (names.authenticated.has(n.name.value) || names.requiresScopes.has(n.name.value))) count++;
    for (const [key, value] of Object.entries(node)) if (key !== 'loc') visitNode(value);
  };
  for (const def of doc.definitions) if (def.kind !== Kind.DIRECTIVE_DEFINITION) visitNode(def);
  return count;
}

function isPublicTag(d: ConstDirectiveNode): boolean {
  return d.name.value === 'tag' && stringArg(d, 'name') === 'public';
}

function stringArg(d: ConstDirectiveNode, name: string): string | null {
  const arg = d.arguments?.find((a) => a.name.value === name);
  return arg && arg.value.kind === Kind.STRING ? arg.value.value : null;
}

function scopesArg(d: ConstDirectiveNode): string[][] {
  const arg = d.arguments?.find((a) => a.name.value === 'scopes');
  if (!arg) return [];
  const list = (v: ConstValueNode): ConstValueNode[] => (v.kind === Kind.LIST ? [...v.values] : [v]);
  return list(arg.value).map((inner) => list(inner).flatMap((s) => (s.kind === Kind.STRING ? [s.value] : [])));
}

/** True when the identity's scopes meet one requirement. */
export function meets(req: Requirement, authenticated: boolean, scopes: ReadonlySet<string>): boolean {
  if (!authenticated) return false;
  if (!req.scopes) return true;
  return req.scopes.some((all) => all.every((s) => scopes.has(s)));
}

/** The scopes still missing for a requirement, shown to the caller (first alternative that is closest). */
export function missingScopes(req: Requirement, scopes: ReadonlySet<string>): string[][] {
  if (!req.scopes) return [];
  return req.scopes.map((all) => all.filter((s) => !scopes.has(s)));
}
