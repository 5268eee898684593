import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, checkDenyByDefault, checkScopes, checkUpToDate, hasErrors } from '../src/index.ts';

/** A copy of this repository's real SDL, supergraph and API schema, to break on purpose. */
function copyRepo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'schema-real-'));
  for (const dir of ['subgraphs', 'schema']) {
    cpSync(path.join(REPO_ROOT, dir), path.join(root, dir), { recursive: true, filter: (src) => !src.includes('node_modules') && (statSync(src).isDirectory() || src.endsWith('.graphql') || src.endsWith('.md')) });
  }
  cpSync(path.join(REPO_ROOT, 'supergraph.graphql'), path.join(root, 'supergraph.graphql'));
  return root;
}

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? graphqlFiles(path.join(dir, e.name)) : e.name.endsWith('.graphql') ? [path.join(dir, e.name)] : []));
}

describe('the schema check on this repository', () => {
  it('passes deny-by-default, scopes and freshness as committed', () => {
    const root = copyRepo();
    expect(checkDenyByDefault(root).filter((f) => f.severity === 'error')).toEqual([]);
    expect(checkScopes(root).filter((f) => f.severity === 'error')).toEqual([]);
    expect(checkUpToDate(root).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it.each(['billing', 'smartlock', 'contracts', 'tenancy'])('fails, naming the field, when one auth directive is deleted from a root field of the %s subgraph', (subgraph) => {
    const root = copyRepo();
    let target: { file: string; field: string; start: number; end: number } | undefined;
    for (const file of graphqlFiles(path.join(root, 'subgraphs', subgraph, 'src'))) {
      const doc = parse(readFileSync(file, 'utf8'));
      for (const def of doc.definitions) {
        if ((def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) || !['Query', 'Mutation'].includes(def.name.value)) continue;
        for (const field of def.fields ?? []) {
          const directive = field.directives?.find((d) => d.name.value === 'requiresScopes' || d.name.value === 'authenticated');
          if (directive?.loc && !target) target = { file, field: `${def.name.value}.${field.name.value}`, start: directive.loc.start, end: directive.loc.end };
        }
      }
    }
    expect(target, `a guarded root field in ${subgraph}`).toBeTruthy();
    const text = readFileSync(target!.file, 'utf8');
    writeFileSync(target!.file, text.slice(0, target!.start) + text.slice(target!.end));
    // The field may still be guarded through its return type (the gateway applies that too), but the
    // committed supergraph no longer matches: the check fails until someone composes and reviews it.
    const stale = checkUpToDate(root).filter((f) => f.severity === 'error');
    expect(stale.map((f) => f.message).join('\n')).toMatch(/stale/);
  });

  it('names the field when neither it nor its return type carries a directive any more', () => {
    const root = copyRepo();
    const file = path.join(root, 'subgraphs/tenancy/src/modules/identity/identity.graphql');
    const text = readFileSync(file, 'utf8');
    const broken = text.replace('me: Me! @authenticated', 'me: Me!').replace('type Me @authenticated {', 'type Me {');
    expect(broken).not.toBe(text);
    writeFileSync(file, broken);
    const messages = checkDenyByDefault(root).filter((f) => f.severity === 'error').map((f) => f.message).join('\n');
    expect(messages).toContain('Query.me');
    expect(messages).toContain('Me.scopes');
  });
});
