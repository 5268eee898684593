import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { declaredCycles, readImports, readWorkspaces, type ImportEdge, type Workspace } from './workspace-graph.ts';

/**
 * The layers (docs/architecture.md, "Layers"): `packages/` is the bottom floor and imports no
 * service; services import packages; `tooling/` (the whole-stack harness, the demo loader) is the
 * top floor. Every workspace declares what it imports, the declared graph has no cycle (turbo
 * refuses one, and a cycle hidden by an undeclared import is still a cycle), and a subgraph's code
 * and tests never import another subgraph: cross-subgraph tests live in the root `test/`.
 */
const ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');

const isService = (w: Workspace | undefined) => !!w && (w.dir === 'gateway' || w.dir.startsWith('subgraphs/'));
const isTooling = (w: Workspace | undefined) => !!w && w.dir.startsWith('tooling/');
/** Test code: test folders, `*.test.ts`, and the helpers beside them. */
const isTestFile = (file: string) => /(^|\/)test\//.test(file) || /\.test\.tsx?$/.test(file);
const where = (e: ImportEdge) => `${e.file} imports '${e.specifier}'`;

/** The rules, as a function of the repository, so the same code is run on a planted violation below. */
function violations(root: string) {
  const workspaces = readWorkspaces(root);
  const edges = readImports(root, workspaces);
  const subgraphOf = (w: Workspace | undefined) => (w?.dir.startsWith('subgraphs/') ? w.name : undefined);
  return {
    undeclared: edges
      .filter((e) => !e.relative && e.target && e.target !== e.workspace && !e.workspace.declared.has(e.target.name))
      .map((e) => `${where(e)} but ${e.workspace.dir || 'the root'}/package.json does not declare ${e.target!.name}`),
    unknown: edges.filter((e) => !e.relative && !e.target).map(where),
    // The root's test/ holds the cross-cutting tests (both sides of a contract between subgraphs) and may read internals by path.
    intoAnotherWorkspace: edges.filter((e) => e.relative && e.workspace.dir !== '' && e.target && e.target.dir !== '').map((e) => `${where(e)}: a path into ${e.target!.dir}/ (import ${e.target!.name} instead)`),
    packagesImportServices: edges.filter((e) => e.workspace.dir.startsWith('packages/') && (isService(e.target) || isTooling(e.target))).map(where),
    // The services' tests start the stack through the harness; their running code never depends on tooling.
    servicesImportTooling: edges.filter((e) => isService(e.workspace) && isTooling(e.target) && !isTestFile(e.file)).map(where),
    subgraphImportsSubgraph: edges
      .filter((e) => subgraphOf(e.workspace) && subgraphOf(e.target) && e.target !== e.workspace)
      .map(where),
    cycles: declaredCycles(workspaces).map((c) => c.join(' -> ')),
  };
}

describe('workspace layers', () => {
  const found = violations(ROOT);

  it('reads every workspace and a realistic number of imports (the scanner sees the tree)', () => {
    const workspaces = readWorkspaces(ROOT);
    expect(workspaces.map((w) => w.dir)).toEqual(expect.arrayContaining(['gateway', 'subgraphs/billing', 'packages/subgraph-kit', 'tooling/e2e', 'tooling/demo-data']));
    expect(readImports(ROOT, workspaces).filter((e) => !e.relative).length).toBeGreaterThan(100);
  });

  it('every workspace declares each @portal/* package it imports', () => {
    expect(found.undeclared).toEqual([]);
    expect(found.unknown).toEqual([]);
  });

  it('no relative import reaches into another workspace', () => {
    expect(found.intoAnotherWorkspace).toEqual([]);
  });

  it('no file under packages/ imports the gateway, a subgraph or tooling', () => {
    expect(found.packagesImportServices).toEqual([]);
  });

  it("no service's running code imports tooling (the harness, the demo loader)", () => {
    expect(found.servicesImportTooling).toEqual([]);
  });

  it("no subgraph's code or tests import another subgraph", () => {
    expect(found.subgraphImportsSubgraph).toEqual([]);
  });

  it('the declared workspace graph has no cycle', () => {
    expect(found.cycles).toEqual([]);
  });
});

describe('the rules catch a planted violation (positive control)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'portal-layers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const pkg = (name: string, deps: string[] = []) => JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) });
  write('package.json', JSON.stringify({ name: 'root', workspaces: ['packages/*', 'tooling/e2e', 'gateway', 'subgraphs/*'] }));
  write('packages/kit/package.json', pkg('@portal/kit', ['@portal/billing']));
  write('packages/kit/src/index.ts', `export type { X } from '@portal/billing';\nexport const y = await import('@portal/gateway');\n`);
  write('gateway/package.json', pkg('@portal/gateway'));
  write('gateway/src/index.ts', `export const x = 1;\n`);
  write('subgraphs/billing/package.json', pkg('@portal/billing', ['@portal/kit', '@portal/testing']));
  write('subgraphs/billing/src/index.ts', `import '@portal/kit';\nexport type X = 1;\n`);
  write('subgraphs/billing/src/demo.ts', `import { startStack } from '@portal/testing';\n`);
  write('subgraphs/billing/test/seed.ts', `import { startStack } from '@portal/testing';\n`);
  write('tooling/e2e/package.json', pkg('@portal/testing'));
  write('subgraphs/tenancy/package.json', pkg('@portal/tenancy'));
  write('subgraphs/tenancy/test/a.test.ts', `import { X } from '../../billing/src/index.ts';\nimport '@portal/nowhere';\n`);

  const found = violations(root);

  it('finds each kind once', () => {
    expect(found.undeclared).toEqual([
      "packages/kit/src/index.ts imports '@portal/gateway' but packages/kit/package.json does not declare @portal/gateway",
    ]);
    expect(found.unknown).toEqual(["subgraphs/tenancy/test/a.test.ts imports '@portal/nowhere'"]);
    expect(found.intoAnotherWorkspace).toEqual(["subgraphs/tenancy/test/a.test.ts imports '../../billing/src/index.ts': a path into subgraphs/billing/ (import @portal/billing instead)"]);
    expect(found.packagesImportServices).toEqual(["packages/kit/src/index.ts imports '@portal/billing'", "packages/kit/src/index.ts imports '@portal/gateway'"]);
    expect(found.servicesImportTooling).toEqual(["subgraphs/billing/src/demo.ts imports '@portal/testing'"]);
    expect(found.subgraphImportsSubgraph).toEqual(["subgraphs/tenancy/test/a.test.ts imports '../../billing/src/index.ts'"]);
    expect(found.cycles).toEqual(['@portal/kit -> @portal/billing -> @portal/kit']);
  });
});
