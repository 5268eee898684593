import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/subgraphs.ts';
import { type FixtureRepo, makeRepo } from './fixture.ts';

let repo: FixtureRepo | undefined;
afterEach(() => repo?.dispose());

function run(script: 'compose.cli.ts' | 'check.cli.ts', root: string) {
  const result = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'packages/schema-tools/src', script), root],
    { encoding: 'utf8', env: { ...process.env, SCHEMA_BASE_REF: '' } },
  );
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('CLIs', () => {
  it('compose writes the files and schema:check exits 0 on a clean checkout', () => {
    repo = makeRepo();
    const compose = run('compose.cli.ts', repo.root);
    expect(compose.output).toContain('wrote');
    expect(compose.code).toBe(0);
    expect(existsSync(path.join(repo.root, 'schema/api.graphql'))).toBe(true);
    const check = run('check.cli.ts', repo.root);
    expect(check.output).toContain('schema:check: 0 error(s)');
    expect(check.code).toBe(0);
  });

  it('schema:check exits 1 and names the problem; compose exits 1 without writing on composition errors', () => {
    repo = makeRepo();
    repo.edit('subgraphs/tenancy/src/schema.graphql', 'me: Member @authenticated', 'me: Member @requiresScopes(scopes: [["billing:veiw"]])');
    expect(run('compose.cli.ts', repo.root).code).toBe(0);
    const check = run('check.cli.ts', repo.root);
    expect(check.output).toContain('unknown scope "billing:veiw"');
    expect(check.code).toBe(1);

    repo.write('subgraphs/billing/src/modules/clash.graphql', 'extend type LoginPayload @tag(name: "public") {\n  token: Int\n}\n');
    repo.remove('schema/api.graphql');
    const compose = run('compose.cli.ts', repo.root);
    expect(compose.output).toMatch(/Composition failed[\s\S]*LoginPayload/);
    expect(compose.code).toBe(1);
    expect(existsSync(path.join(repo.root, 'schema/api.graphql'))).toBe(false);
  });
});
