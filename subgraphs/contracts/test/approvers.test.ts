import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { member } from './seed.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'contracts'] });
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  stack.setClock(null);
});

const APPROVERS = `query($first: Int, $after: String) {
  approvers(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id name title phone email powerOfAttorneyValidFrom powerOfAttorneyValidTo powerOfAttorneyExpired status memo } }
  }
}`;
type ApproversData = {
  approvers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; name: string; powerOfAttorneyValidFrom: string; powerOfAttorneyValidTo: string; powerOfAttorneyExpired: boolean; status: string } }[];
  };
};
const codes = (r: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => (r.body.errors ?? []).map((e) => e.extensions?.code);

describe('approvers (決裁者一覧)', () => {
  it('any signed-in account of the member reads the list, newest first, in pages, with the power of attorney\'s expiry', async () => {
    const m = await member(stack).build();
    const oldest = await m.approver({ name: '一郎', createdAt: '2025-01-01T00:00:00Z', poaValidFrom: '2024-03-06', poaValidTo: '2027-03-05' });
    const middle = await m.approver({ name: '二郎', createdAt: '2025-02-01T00:00:00Z', status: 'POA_UPLOAD' });
    const newest = await m.approver({ name: '三郎', createdAt: '2025-03-01T00:00:00Z', status: 'AWAITING_APPROVER' });
    // No area permission at all: approvers are not one of the seven areas.
    const plain = await m.account({ fireInsurance: 'NONE', cancellation: 'NONE' });

    stack.setClock(new Date('2027-03-05T23:59:00+09:00'));
    const first = await stack.gql<ApproversData>(APPROVERS, { first: 2 }, { token: plain.token });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.approvers.totalCount).toBe(3);
    expect(first.body.data?.approvers.edges.map((e) => [e.node.id, e.node.status])).toEqual([[newest.id, 'AWAITING_APPROVER'], [middle.id, 'POA_UPLOAD']]);
    const second = await stack.gql<ApproversData>(APPROVERS, { first: 2, after: first.body.data?.approvers.pageInfo.endCursor }, { token: plain.token });
    expect(second.body.data?.approvers.pageInfo.hasNextPage).toBe(false);
    expect(second.body.data?.approvers.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ id: oldest.id, powerOfAttorneyValidFrom: '2024-03-06', powerOfAttorneyValidTo: '2027-03-05', powerOfAttorneyExpired: false }),
    ]);

    // The day after the last valid day (Asia/Tokyo), the power of attorney has expired.
    stack.setClock(new Date('2027-03-06T00:00:00+09:00'));
    const later = await stack.gql<ApproversData>(APPROVERS, { first: 10 }, { token: plain.token });
    expect(later.body.data?.approvers.edges.find((e) => e.node.id === oldest.id)?.node.powerOfAttorneyExpired).toBe(true);
  });

  it('refuses an anonymous caller at the gateway and at the subgraph', async () => {
    const r = await stack.gql(APPROVERS);
    expect(codes(r)).toContain('UNAUTHENTICATED');
    const direct = await stack.callSubgraph('contracts', APPROVERS);
    expect(codes(direct)).toContain('UNAUTHENTICATED');
    expect(direct.body.data ?? null).toBeNull();
  });

  it('never lists another member\'s approvers', async () => {
    const a = await member(stack).build();
    const b = await member(stack).build();
    const mine = await a.approver();
    const theirs = await b.approver({ email: 'other-company@example.co.jp' });
    const viewer = await a.account();
    for (const r of [
      await stack.gql<ApproversData>(APPROVERS, {}, { token: viewer.token }),
      await stack.callSubgraph<ApproversData>('contracts', APPROVERS, {}, { accountId: viewer.id }),
    ]) {
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data?.approvers.edges.map((e) => e.node.id)).toEqual([mine.id]);
      expect(JSON.stringify(r.body)).not.toContain(theirs.id);
    }
  });
});
