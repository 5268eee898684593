import { afterEach, describe, expect, it } from 'vitest';
import { checkDemandControl, LOGIN_LIKE } from '../src/check.ts';
import { errorsOf, type FixtureRepo, makeRepo } from './fixture.ts';

let repo: FixtureRepo | undefined;
afterEach(() => repo?.dispose());

const TENANCY = 'subgraphs/tenancy/src/schema.graphql';
const BILLING_INVOICE = 'subgraphs/billing/src/modules/invoice/invoice.graphql';

describe('demand control (h)', () => {
  it('passes when every list has a size and the login is tagged sensitive', () => {
    repo = makeRepo();
    expect(checkDemandControl(repo.root)).toEqual([]);
  });

  it('fails naming a list field without a size, with its file and line', () => {
    repo = makeRepo();
    repo.edit(BILLING_INVOICE, ' @listSize(assumedSize: 50)', '');
    const errors = errorsOf(checkDemandControl(repo.root));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^billing: Query\.invoices is a list without a size/);
    expect(errors[0]!.location).toMatch(/^subgraphs\/billing\/src\/modules\/invoice\/invoice\.graphql:\d+:3$/);
  });

  it('accepts a slicing argument the field has, and refuses one it does not have', () => {
    repo = makeRepo();
    repo.edit(BILLING_INVOICE, '@listSize(assumedSize: 50)', '@listSize(slicingArguments: ["status"])');
    expect(checkDemandControl(repo.root)).toEqual([]);
    repo.edit(BILLING_INVOICE, '@listSize(slicingArguments: ["status"])', '@listSize(slicingArguments: ["first"])');
    expect(errorsOf(checkDemandControl(repo.root)).map((f) => f.message)).toEqual(['billing: Query.invoices: @listSize slices by first, which it has no argument for']);
  });

  it("accepts a connection's edges sized by the field returning the connection", () => {
    repo = makeRepo();
    repo.write(
      'subgraphs/billing/src/modules/page.graphql',
      'type InvoicePage @authenticated {\n  edges: [Invoice!]!\n}\nextend type Query {\n  page(first: Int = 10): InvoicePage! @authenticated @listSize(slicingArguments: ["first"], sizedFields: ["edges"])\n}\n',
    );
    expect(checkDemandControl(repo.root)).toEqual([]);
    repo.edit('subgraphs/billing/src/modules/page.graphql', ', sizedFields: ["edges"]', '');
    expect(errorsOf(checkDemandControl(repo.root)).map((f) => f.message)).toEqual([expect.stringMatching(/^billing: InvoicePage\.edges is a list without a size/)]);
  });

  it('fails when a login-like mutation lacks the sensitive tag', () => {
    repo = makeRepo();
    repo.edit(TENANCY, ' @tag(name: "sensitive")', '');
    expect(errorsOf(checkDemandControl(repo.root)).map((f) => f.message)).toEqual([expect.stringMatching(/^tenancy: Mutation\.login looks like a log-in/)]);
  });

  it.each([
    ['login', true],
    ['operatorLogin', true],
    ['partnerLogin', true],
    ['changeMyPassword', true],
    ['resetAccountPassword', true],
    ['verifyApproverOtp', true],
    ['checkVerificationCode', true],
    ['logout', false],
    ['fileCancellation', false],
  ])('treats %s as login-like: %s', (name, expected) => {
    expect(LOGIN_LIKE.test(name)).toBe(expected);
  });
});
