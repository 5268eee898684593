import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The repository's layers as data, read from package.json files and import statements: which
 * workspace imports which `@portal/*` package (static, dynamic and type-only imports alike, through
 * TypeScript's own pre-processor) and which relative imports reach into another workspace's folder.
 */
export interface Workspace {
  name: string;
  /** Folder relative to the repository root ('' for the root package). */
  dir: string;
  declared: Set<string>;
}

export interface ImportEdge {
  /** File relative to the repository root. */
  file: string;
  workspace: Workspace;
  specifier: string;
  /** The `@portal/x` package named, or the workspace a relative path lands in. */
  target: Workspace | undefined;
  relative: boolean;
}

const SOURCE = /\.(c|m)?(t|j)sx?$/;
const SKIP = new Set(['node_modules', 'dist', '.turbo', 'coverage', '.git']);

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The root package and every workspace its `workspaces` globs name (one `*` at the end at most, as npm's simple form). */
export function readWorkspaces(root: string): Workspace[] {
  const rootPkg = readJson(path.join(root, 'package.json'));
  const dirs: string[] = [];
  for (const pattern of (rootPkg.workspaces as string[] | undefined) ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = pattern.slice(0, -2);
      if (!existsSync(path.join(root, parent))) continue;
      for (const entry of readdirSync(path.join(root, parent)).sort()) {
        if (existsSync(path.join(root, parent, entry, 'package.json'))) dirs.push(`${parent}/${entry}`);
      }
    } else if (existsSync(path.join(root, pattern, 'package.json'))) dirs.push(pattern);
  }
  const workspace = (dir: string): Workspace => {
    const pkg = readJson(path.join(root, dir, 'package.json'));
    const declared = new Set<string>();
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const name of Object.keys((pkg[field] as Record<string, string> | undefined) ?? {})) declared.add(name);
    }
    return { name: pkg.name as string, dir, declared };
  };
  return [workspace(''), ...dirs.map(workspace)];
}

function sourceFiles(root: string, dir: string, nested: Set<string>): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel))) {
      if (SKIP.has(entry)) continue;
      const child = rel ? `${rel}/${entry}` : entry;
      // A workspace's files belong to it, not to a folder above it (the root holds them all).
      if (nested.has(child)) continue;
      const stat = statSync(path.join(root, child));
      if (stat.isDirectory()) walk(child);
      else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) out.push(child);
    }
  };
  walk(dir);
  return out;
}

/** Every `@portal/*` import and every relative import that leaves its workspace, in every workspace's source files. */
export function readImports(root: string, workspaces: Workspace[] = readWorkspaces(root)): ImportEdge[] {
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const nested = new Set(workspaces.filter((w) => w.dir).map((w) => w.dir));
  const owner = (file: string): Workspace =>
    workspaces.filter((w) => w.dir === '' || file === w.dir || file.startsWith(`${w.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0]!;
  const edges: ImportEdge[] = [];
  for (const workspace of workspaces) {
    for (const file of sourceFiles(root, workspace.dir, nested)) {
      const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
      for (const { fileName: specifier } of info.importedFiles) {
        if (specifier.startsWith('@portal/')) {
          const name = specifier.split('/').slice(0, 2).join('/');
          edges.push({ file, workspace, specifier, target: byName.get(name), relative: false });
        } else if (specifier.startsWith('.')) {
          const resolved = path.relative(root, path.resolve(root, path.dirname(file), specifier)).split(path.sep).join('/');
          const target = owner(resolved);
          if (target !== workspace) edges.push({ file, workspace, specifier, target, relative: true });
        }
      }
    }
  }
  return edges;
}

/** Cycles in the graph of declared workspace dependencies (all kinds, as turbo and npm read them), each as a path of names. */
export function declaredCycles(workspaces: Workspace[]): string[][] {
  const names = new Set(workspaces.map((w) => w.name));
  const graph = new Map(workspaces.map((w) => [w.name, [...w.declared].filter((d) => names.has(d) && d !== w.name)]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'open');
    stack.push(name);
    for (const next of graph.get(name) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of graph.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
