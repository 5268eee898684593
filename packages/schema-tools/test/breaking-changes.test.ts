import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseBase, checkBreakingChanges, findAcknowledgement } from '../src/check.ts';
import { errorsOf, type FixtureRepo, makeRepo } from './fixture.ts';

let repo: FixtureRepo;
beforeEach(() => {
  repo = makeRepo();
  repo.compose();
  repo.git('init', '-q', '-b', 'main');
  repo.commitAll('initial schema');
});
afterEach(() => repo.dispose());

const INVOICE = 'subgraphs/billing/src/modules/invoice/invoice.graphql';
const ACKS = 'schema/BREAKING_CHANGES.md';

function removeAmount() {
  repo.edit(INVOICE, '"Amount in yen (金額)"\n  amount: Int!\n', '');
  repo.compose();
}

describe('breaking changes (f)', () => {
  it('passes with no change, and reports additions as info', async () => {
    expect(errorsOf(await checkBreakingChanges(repo.root))).toEqual([]);
    repo.edit(INVOICE, 'amount: Int!', 'amount: Int!\n  "Due date (支払期日)"\n  dueDate: String');
    repo.compose();
    const findings = await checkBreakingChanges(repo.root);
    expect(errorsOf(findings)).toEqual([]);
    expect(findings).toContainEqual(expect.objectContaining({ severity: 'info', location: 'Invoice.dueDate', message: expect.stringMatching(/^non_breaking: Field 'dueDate' was added/) }));
  });

  it('fails on an unacknowledged breaking change in the working tree', async () => {
    removeAmount();
    expect(chooseBase(repo.root).base).toBe('HEAD');
    const errors = errorsOf(await checkBreakingChanges(repo.root));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^breaking change not acknowledged: Field 'amount' .*was removed.*Invoice\.amount/);
    expect(errors[0]!.location).toBe('Invoice.amount');
  });

  it('passes once acknowledged with a reason in an edited BREAKING_CHANGES.md, also after committing', async () => {
    removeAmount();
    repo.write(ACKS, '# Breaking changes\n\n- `Invoice.amount`: replaced by totals on the statement (no client used it)\n');
    const findings = await checkBreakingChanges(repo.root);
    expect(errorsOf(findings)).toEqual([]);
    expect(findings).toContainEqual(expect.objectContaining({ severity: 'info', location: `${ACKS}:3`, message: expect.stringMatching(/^acknowledged breaking change/) }));

    repo.commitAll('remove Invoice.amount');
    // Committed: compared with the parent of the last commit that changed schema/api.graphql.
    expect(chooseBase(repo.root).base).toBe(repo.git('rev-parse', 'HEAD~1').trim());
    expect(errorsOf(await checkBreakingChanges(repo.root))).toEqual([]);
  });

  it('still catches a breaking change after it was committed', async () => {
    removeAmount();
    repo.commitAll('remove Invoice.amount without acknowledging');
    const errors = errorsOf(await checkBreakingChanges(repo.root));
    expect(errors.map((e) => e.location)).toEqual(['Invoice.amount']);
  });

  it('fails when the acknowledgement has no reason, or when BREAKING_CHANGES.md was not edited by the change', async () => {
    removeAmount();
    repo.write(ACKS, '- Invoice.amount\n');
    expect(errorsOf(await checkBreakingChanges(repo.root)).map((e) => e.message)).toEqual([
      expect.stringMatching(/^breaking change Invoice\.amount is named in schema\/BREAKING_CHANGES\.md without a reason/),
    ]);

    // An old entry for the same path does not acknowledge a new break.
    repo.git('checkout', '-q', '--', 'subgraphs', 'schema/api.graphql', 'supergraph.graphql');
    repo.write(ACKS, '- Invoice.amount: renamed long ago, kept for history\n');
    repo.commitAll('history');
    removeAmount();
    expect(errorsOf(await checkBreakingChanges(repo.root)).map((e) => e.message)).toEqual([
      expect.stringMatching(/^breaking change Invoice\.amount is acknowledged only by an older entry/),
    ]);
  });

  it('does not let an acknowledgement of a path cover a longer path', async () => {
    repo.edit(INVOICE, 'invoices(status: String)', 'invoices');
    repo.compose();
    repo.write(ACKS, '- Query.invoices: we changed the list a lot\n');
    const errors = errorsOf(await checkBreakingChanges(repo.root));
    expect(errors.map((e) => e.location)).toEqual(['Query.invoices.status']);
    repo.write(ACKS, '- Query.invoices.status: filtering moved to the client\n');
    expect(errorsOf(await checkBreakingChanges(repo.root))).toEqual([]);
  });

  it('compares with SCHEMA_BASE_REF when given, and reports an unknown ref', async () => {
    const initial = repo.git('rev-parse', 'HEAD').trim();
    removeAmount();
    repo.commitAll('breaking');
    repo.write('README.md', 'unrelated\n');
    repo.commitAll('unrelated');
    // HEAD did not touch the schema: the last commit that did is still compared with its parent.
    expect(errorsOf(await checkBreakingChanges(repo.root)).map((e) => e.location)).toEqual(['Invoice.amount']);
    expect(errorsOf(await checkBreakingChanges(repo.root, { baseRef: initial })).map((e) => e.location)).toEqual(['Invoice.amount']);
    expect(errorsOf(await checkBreakingChanges(repo.root, { baseRef: 'no-such-branch' })).map((e) => e.message)).toEqual([
      'SCHEMA_BASE_REF no-such-branch is not a commit here',
    ]);
  });

  it('has nothing to compare without a previous API schema', async () => {
    const fresh = makeRepo();
    try {
      fresh.compose();
      fresh.git('init', '-q', '-b', 'main');
      const findings = await checkBreakingChanges(fresh.root);
      expect(findings).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringMatching(/^nothing to compare/) })]);
    } finally {
      fresh.dispose();
    }
  });
});

describe('findAcknowledgement', () => {
  it('matches the path as a whole token and needs a reason', () => {
    expect(findAcknowledgement('x\n- Query.invoices: gone', 'Query.invoices')).toEqual({ line: 2, hasReason: true });
    expect(findAcknowledgement('- Query.invoicesByMonth: gone', 'Query.invoices')).toBeUndefined();
    expect(findAcknowledgement('- MyQuery.invoices: gone', 'Query.invoices')).toBeUndefined();
    expect(findAcknowledgement('- `Query.invoices`', 'Query.invoices')).toEqual({ line: 1, hasReason: false });
    expect(findAcknowledgement('- Query.invoices：請求書一覧は廃止', 'Query.invoices')).toEqual({ line: 1, hasReason: true });
  });
});
