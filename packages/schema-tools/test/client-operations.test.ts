import { afterEach, describe, expect, it } from 'vitest';
import { checkClientOperations } from '../src/check.ts';
import { findClientDocuments } from '../src/client-documents.ts';
import { type FixtureRepo, makeRepo } from './fixture.ts';

let repo: FixtureRepo | undefined;
afterEach(() => repo?.dispose());

describe('client operations (g)', () => {
  it('finds .graphql files and graphql()/gql templates, skipping generated gql/ folders', () => {
    repo = makeRepo();
    repo.write('client/src/locks.tsx', 'const q = gql`\n  query Locks { locks { id ${"name"} } }\n`;\n');
    const documents = findClientDocuments(repo.root);
    expect(documents.map((d) => [d.file, d.line])).toEqual([
      ['client/src/fragments.graphql', 1],
      ['client/src/invoices.ts', 3],
      ['client/src/locks.tsx', 1],
    ]);
    // The substitution is blanked, keeping every other character where it was.
    expect(documents[2]!.body).toBe(`\n  query Locks { locks { id ${' '.repeat('${"name"}'.length)} } }\n`);
  });

  it('passes when every document validates, resolving fragments across files', () => {
    repo = makeRepo();
    expect(checkClientOperations(repo.root)).toEqual([]);
  });

  it('fails naming the file and line of an operation that no longer validates', () => {
    repo = makeRepo();
    repo.write(
      'client/src/modules/billing/invoice-list.ts',
      "import { graphql } from '../../gql/index.ts';\n\nexport const Q = graphql(`\n  query InvoiceList {\n    invoices {\n      id\n      total\n    }\n  }\n`);\n",
    );
    const findings = checkClientOperations(repo.root);
    expect(findings).toEqual([
      {
        check: 'client-operations',
        severity: 'error',
        message: 'client/src/modules/billing/invoice-list.ts: Cannot query field "total" on type "Invoice".',
        location: 'client/src/modules/billing/invoice-list.ts:7:7',
      },
    ]);
  });

  it('fails on a fragment whose field was removed, on syntax errors and on unknown fragments', () => {
    repo = makeRepo();
    repo.edit('client/src/fragments.graphql', '  amount\n', '  amount\n  dueDate\n');
    repo.write('client/src/broken.graphql', 'query Broken { invoices { id }\n');
    repo.write('client/src/unknown.ts', 'export const U = graphql(`query U { invoices { ...Missing } }`);\n');
    const findings = checkClientOperations(repo.root).map((f) => `${f.location} ${f.message}`);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^client\/src\/fragments\.graphql:4:3 .*Cannot query field "dueDate" on type "Invoice"/),
        expect.stringMatching(/^client\/src\/broken\.graphql:2:1 .*Syntax Error/),
        expect.stringMatching(/^client\/src\/unknown\.ts:1:51 .*Unknown fragment "Missing"/),
      ]),
    );
    expect(findings).toHaveLength(3);
  });
});
