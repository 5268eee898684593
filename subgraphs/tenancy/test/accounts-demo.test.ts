import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData, defaultDemoOptions, DEMO_PASSWORD } from '@portal/demo-data';
import { startStack, type Stack } from '@portal/testing';

/** The acceptance list of issue 3, with the demo accounts, through the gateway. */
let stack: Stack;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack();
  await loadDemoData(stack.database.url, defaultDemoOptions(new Date('2026-11-22T00:00:00Z')));
  for (const loginId of ['demo-admin', 'demo-clerk', 'demo-viewer', 'mini-admin']) tokens[loginId] = await stack.login(loginId, DEMO_PASSWORD);
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

const ERR = 'userErrors { code field }';
const ADMIN_OPERATIONS: [string, string, Record<string, unknown>][] = [
  ['accounts', '{ accounts { id } }', {}],
  ['account', 'query($id: ID!) { account(id: $id) { id } }', { id: '7d0f3c1e-0000-4000-8000-000000000000' }],
  ['createAccount', `mutation($i: CreateAccountInput!) { createAccount(input: $i) { ${ERR} } }`, { i: { loginId: 'matrix-new', name: 'x', email: 'x@example.co.jp', permissions: { billing: 'VIEW', cancellation: 'NONE', residents: 'NONE', smartlock: 'NONE', fireInsurance: 'NONE', admin: true } } }],
  ['updateAccount', `mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { ${ERR} } }`, { i: { id: '7d0f3c1e-0000-4000-8000-000000000000', name: 'x' } }],
  ['deleteAccount', `mutation($i: DeleteAccountInput!) { deleteAccount(input: $i) { ${ERR} } }`, { i: { id: '7d0f3c1e-0000-4000-8000-000000000000' } }],
  ['resetAccountPassword', `mutation($i: ResetAccountPasswordInput!) { resetAccountPassword(input: $i) { ${ERR} } }`, { i: { id: '7d0f3c1e-0000-4000-8000-000000000000' } }],
  ['ipAllowList', '{ ipAllowList { id } }', {}],
  ['myCurrentAddress', '{ myCurrentAddress }', {}],
  ['addIpAllowEntry', `mutation($i: AddIpAllowEntryInput!) { addIpAllowEntry(input: $i) { ${ERR} } }`, { i: { address: '192.0.2.1', confirmLockout: true } }],
  ['updateIpAllowEntry', `mutation($i: UpdateIpAllowEntryInput!) { updateIpAllowEntry(input: $i) { ${ERR} } }`, { i: { id: '7d0f3c1e-0000-4000-8000-000000000000' } }],
  ['deleteIpAllowEntry', `mutation($i: DeleteIpAllowEntryInput!) { deleteIpAllowEntry(input: $i) { ${ERR} } }`, { i: { id: '7d0f3c1e-0000-4000-8000-000000000000' } }],
  ['updateMemberInfo', `mutation($i: UpdateMemberInfoInput!) { updateMemberInfo(input: $i) { ${ERR} } }`, { i: { postalCode: '1000001', city: '東京都千代田区', street: '千代田1-1', contactName: 'ご担当者', phone: '03-3000-0000' } }],
  ['auditEvents', '{ auditEvents { totalCount } }', {}],
  ['exportAuditEvents', `mutation { exportAuditEvents { url ${ERR} } }`, {}],
];

describe('demo accounts', () => {
  it('demo-clerk and demo-viewer are refused every administrator operation with FORBIDDEN, and nothing changes', async () => {
    const before = await stack.sql('select count(*)::int as accounts, (select count(*) from tenancy.ip_allow_entry)::int as entries from tenancy.account');
    for (const loginId of ['demo-clerk', 'demo-viewer']) {
      for (const [name, query, variables] of ADMIN_OPERATIONS) {
        const r = await stack.gql(query, variables, { token: tokens[loginId] });
        expect([name, r.body.errors?.[0]?.extensions?.code]).toEqual([name, 'FORBIDDEN']);
        expect(r.body.data ?? null).toBeNull();
      }
    }
    expect(await stack.sql('select count(*)::int as accounts, (select count(*) from tenancy.ip_allow_entry)::int as entries from tenancy.account')).toEqual(before);
  });

  it('mini-admin sees only its own member\'s accounts and audit trail', async () => {
    const mini = await stack.gql<{ accounts: { loginId: string }[] }>('{ accounts { loginId } }', {}, { token: tokens['mini-admin'] });
    expect(mini.body.data?.accounts.map((a) => a.loginId)).toEqual(['mini-admin']);
    const demo = await stack.gql<{ accounts: { loginId: string }[] }>('{ accounts { loginId } }', {}, { token: tokens['demo-admin'] });
    expect(demo.body.data?.accounts.map((a) => a.loginId)).toEqual(expect.arrayContaining(['demo-admin', 'demo-clerk', 'demo-viewer', 'demo-none']));
    expect(demo.body.data?.accounts.map((a) => a.loginId)).not.toContain('mini-admin');

    const trail = await stack.gql<{ auditEvents: { edges: { node: { loginId: string | null; targetLabel: string | null } }[] } }>('{ auditEvents(first: 200) { edges { node { loginId targetLabel } } } }', {}, { token: tokens['mini-admin'] });
    const logins = new Set(trail.body.data!.auditEvents.edges.map((e) => e.node.loginId));
    expect([...logins]).toEqual(['mini-admin']);
  });

  it('demo-admin can do all of it', async () => {
    const token = tokens['demo-admin']!;
    const created = await stack.gql<{ createAccount: { account: { id: string }; generatedPassword: string; userErrors: unknown[] } }>(
      `mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } generatedPassword ${ERR} } }`,
      { i: { loginId: 'demo-new-clerk', name: '新人', email: 'new@example.co.jp', permissions: { billing: 'VIEW', cancellation: 'VIEW', residents: 'NONE', smartlock: 'NONE', fireInsurance: 'NONE', admin: false } } },
      { token },
    );
    expect(created.body.data?.createAccount.userErrors).toEqual([]);
    const id = created.body.data!.createAccount.account.id;
    const steps: [string, Record<string, unknown>][] = [
      [`mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { ${ERR} } }`, { i: { id, permissions: { billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE', admin: false } } }],
      [`mutation($i: ResetAccountPasswordInput!) { resetAccountPassword(input: $i) { ${ERR} } }`, { i: { id } }],
      [`mutation($i: AddIpAllowEntryInput!) { addIpAllowEntry(input: $i) { ${ERR} } }`, { i: { address: '127.0.0.0/8', note: 'テスト' } }],
      [`mutation($i: UpdateMemberInfoInput!) { updateMemberInfo(input: $i) { ${ERR} } }`, { i: { postalCode: '1638001', city: '東京都新宿区', street: '西新宿2-8-1', contactName: 'ご担当者', phone: '03-3000-0000' } }],
      [`mutation($i: DeleteAccountInput!) { deleteAccount(input: $i) { ${ERR} } }`, { i: { id } }],
      [`mutation { exportAuditEvents { ${ERR} } }`, {}],
    ];
    for (const [query, variables] of steps) {
      const r = await stack.gql<Record<string, { userErrors: unknown[] }>>(query, variables, { token });
      expect(r.body.errors).toBeUndefined();
      expect(Object.values(r.body.data!)[0]!.userErrors).toEqual([]);
    }
    const entries = await stack.gql<{ ipAllowList: { id: string }[] }>('{ ipAllowList { id } }', {}, { token });
    await stack.gql(`mutation($i: DeleteIpAllowEntryInput!) { deleteIpAllowEntry(input: $i) { ${ERR} } }`, { i: { id: entries.body.data!.ipAllowList[0]!.id } }, { token });
    const trail = await stack.gql<{ auditEvents: { edges: { node: { action: string } }[] } }>('{ auditEvents(first: 20) { edges { node { action } } } }', {}, { token });
    expect(trail.body.data!.auditEvents.edges.map((e) => e.node.action).slice(0, 8)).toEqual([
      'ALLOW_LIST_ENTRY_DELETED', 'AUDIT_EXPORTED', 'ACCOUNT_DELETED', 'MEMBER_INFO_UPDATED', 'ALLOW_LIST_ENTRY_ADDED', 'PASSWORD_RESET', 'PERMISSIONS_CHANGED', 'ACCOUNT_CREATED',
    ]);
  });
});
