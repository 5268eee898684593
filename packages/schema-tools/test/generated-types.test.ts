import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, checkGeneratedTypes, generatedTypeFindings } from '../src/index.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/**
 * What codegen reads and writes in this repository (config, SDL, client documents, generated files), to
 * break on purpose. Under the repository's node_modules, so codegen finds its plugins from the copy.
 */
function copyCodegenInputs(): string {
  const cache = path.join(REPO_ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(path.join(cache, 'codegen-real-'));
  roots.push(root);
  cpSync(path.join(REPO_ROOT, 'codegen.ts'), path.join(root, 'codegen.ts'));
  cpSync(path.join(REPO_ROOT, 'schema'), path.join(root, 'schema'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'client/src'), path.join(root, 'client/src'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'subgraphs'), path.join(root, 'subgraphs'), {
    recursive: true,
    filter: (src) => !src.includes('node_modules') && (statSync(src).isDirectory() || src.endsWith('.graphql') || src.includes(`${path.sep}generated${path.sep}`)),
  });
  return root;
}

describe('generated files are up to date (i)', () => {
  it('passes on the files as committed', async () => {
    expect(await checkGeneratedTypes(copyCodegenInputs())).toEqual([]);
  });

  it("fails, naming the subgraph's resolver types, when a field is removed from its SDL without regenerating", async () => {
    const root = copyCodegenInputs();
    const sdl = path.join(root, 'subgraphs/smartlock/src/modules/recipient/recipient.graphql');
    const before = readFileSync(sdl, 'utf8');
    const after = before.replace(/\n\s*"[^"\n]*"\n\s*verificationExpiresAt: DateTime/, '');
    expect(after).not.toBe(before);
    writeFileSync(sdl, after);
    const findings = await checkGeneratedTypes(root);
    expect(findings.map((f) => [f.check, f.severity, f.location])).toEqual([['generated-types', 'error', 'subgraphs/smartlock/src/generated/resolvers-types.ts']]);
    expect(findings[0]!.message).toMatch(/stale.*run npm run codegen/);
  });

  it('reports a missing or hand-edited generated file', () => {
    const generated = [
      { filename: 'a/resolvers-types.ts', content: 'export type A = 1;\n' },
      { filename: 'b/resolvers-types.ts', content: 'export type B = 2;\n' },
      { filename: 'c/resolvers-types.ts', content: 'export type C = 3;\n' },
    ];
    const committed: Record<string, string> = { 'a/resolvers-types.ts': 'export type A = 1;\r\n', 'b/resolvers-types.ts': 'export type B = 3;\n' };
    expect(generatedTypeFindings(generated, (file) => committed[file]).map((f) => f.message)).toEqual([
      expect.stringMatching(/^b\/resolvers-types\.ts is stale/),
      'c/resolvers-types.ts is missing: run npm run codegen',
    ]);
  });

  it('has nothing to compare in a checkout without a codegen config', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'codegen-none-'));
    roots.push(root);
    expect(await checkGeneratedTypes(root)).toEqual([]);
  });
});
