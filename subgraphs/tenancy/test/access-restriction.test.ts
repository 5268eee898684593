import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { runOperatorCommand } from '@portal/tenancy';

/**
 * The gateway of this stack trusts 127.0.0.1 as its reverse proxy (PORTAL_TRUSTED_PROXIES), so
 * each request can play a client at another address with X-Forwarded-For.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: [], gatewayEnv: { PORTAL_TRUSTED_PROXIES: '127.0.0.1' } });
});
afterAll(async () => {
  await stack?.stop();
});

const OFFICE = '203.0.113.10';
const HOME = '198.51.100.7';
const ERR = 'userErrors { code field message messageJa }';
const ENTRY = 'id address note includesMyAddress';
const ADD = `mutation($input: AddIpAllowEntryInput!) { addIpAllowEntry(input: $input) { entry { ${ENTRY} } allowList { address } ${ERR} } }`;
const UPDATE = `mutation($input: UpdateIpAllowEntryInput!) { updateIpAllowEntry(input: $input) { entry { ${ENTRY} } allowList { address } ${ERR} } }`;
const DELETE = `mutation($input: DeleteIpAllowEntryInput!) { deleteIpAllowEntry(input: $input) { entry { id } allowList { address } ${ERR} } }`;
const LIST = `{ ipAllowList { ${ENTRY} } }`;

type Payload = { entry: { id: string; address: string; note: string | null; includesMyAddress: boolean } | null; allowList: { address: string }[] | null; userErrors: { code: string; field: string | null; messageJa: string }[] };

const headersFor = (ip?: string) => (ip ? { 'x-forwarded-for': ip } : undefined);
async function loginFrom(ip: string, loginId: string, password: string) {
  return stack.gql<{ login: { token: string | null; userErrors: { code: string }[] } }>(
    'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }',
    { input: { loginId, password } },
    { headers: headersFor(ip) },
  );
}
async function tokenFrom(ip: string, account: { loginId: string; password: string }): Promise<string> {
  const r = await loginFrom(ip, account.loginId, account.password);
  const token = r.body.data?.login.token;
  if (!token) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return token;
}
async function mutate(token: string, ip: string, query: string, input: Record<string, unknown>): Promise<Payload> {
  const r = await stack.gql<Record<string, Payload>>(query, { input }, { token, headers: headersFor(ip) });
  expect(r.body.errors).toBeUndefined();
  return Object.values(r.body.data!)[0]!;
}
const entriesOf = (memberId: string) => stack.sql<{ cidr: string }>('select cidr from tenancy.ip_allow_entry where member_id = $1 order by created_at, id', [memberId]);
const auditOf = (memberId: string, action: string) => stack.sql<{ actor_type: string; login_id: string | null; client_ip: string | null; details: Record<string, unknown>; target_label: string | null }>('select * from tenancy.audit_event where member_id = $1 and action = $2 order by seq', [memberId, action]);

async function memberWithAdminAndClerk() {
  const member = await stack.seed.member();
  const admin = await stack.seed.account(member.id, { admin: true });
  const clerk = await stack.seed.account(member.id, { billing: 'UPDATE' });
  return { member, admin, clerk, adminToken: await tokenFrom(OFFICE, admin) };
}

describe('my current address', () => {
  it('is the address the gateway sees: the forwarded client behind a trusted proxy, else the socket', async () => {
    const { adminToken } = await memberWithAdminAndClerk();
    const viaProxy = await stack.gql<{ myCurrentAddress: string }>('{ myCurrentAddress }', {}, { token: adminToken, headers: headersFor(OFFICE) });
    expect(viaProxy.body.data?.myCurrentAddress).toBe(OFFICE);
    const direct = await stack.gql<{ myCurrentAddress: string }>('{ myCurrentAddress }', {}, { token: adminToken });
    expect(direct.body.data?.myCurrentAddress).toBe('127.0.0.1');
    // A client cannot put itself in front of the proxy's hop: the right-most untrusted hop counts.
    const spoofed = await stack.gql<{ myCurrentAddress: string }>('{ myCurrentAddress }', {}, { token: adminToken, headers: { 'x-forwarded-for': `${OFFICE}, ${HOME}` } });
    expect(spoofed.body.data?.myCurrentAddress).toBe(HOME);
  });
});

describe('restricting access by address', () => {
  it('refuses the next request of a live session with IP_NOT_ALLOWED, and every login from outside the list like a wrong password', async () => {
    const { member, admin, clerk, adminToken } = await memberWithAdminAndClerk();
    const clerkToken = await tokenFrom(HOME, clerk);
    expect((await stack.gql('{ me { scopes } }', {}, { token: clerkToken, headers: headersFor(HOME) })).status).toBe(200);

    const added = await mutate(adminToken, OFFICE, ADD, { address: '203.0.113.0/24', note: '本社' });
    expect(added.userErrors).toEqual([]);
    expect(added.entry).toMatchObject({ address: '203.0.113.0/24', note: '本社', includesMyAddress: true });

    const refused = await stack.gql('{ me { scopes } }', {}, { token: clerkToken, headers: headersFor(HOME) });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('IP_NOT_ALLOWED');
    expect(refused.body.data ?? null).toBeNull();

    // A login from outside the list is refused like a wrong password (no oracle; test/security/login-abuse.test.ts).
    const outside = await loginFrom(HOME, clerk.loginId, clerk.password);
    expect(outside.body.errors).toBeUndefined();
    expect(outside.body.data?.login).toEqual({ token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
    // The boundary of the range: .255 is inside, the next address is not.
    expect((await loginFrom('203.0.113.255', clerk.loginId, clerk.password)).body.data?.login.token).toBeTruthy();
    expect((await loginFrom('203.0.114.0', clerk.loginId, clerk.password)).body.data?.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
    // IPv4-mapped IPv6 is the IPv4 address it maps.
    expect((await loginFrom('::ffff:203.0.113.5', clerk.loginId, clerk.password)).body.data?.login.token).toBeTruthy();
    // The admin's own session goes on.
    expect((await stack.gql(LIST, {}, { token: adminToken, headers: headersFor(OFFICE) })).body.errors).toBeUndefined();

    const [event] = await auditOf(member.id, 'ALLOW_LIST_ENTRY_ADDED');
    expect(event).toMatchObject({ actor_type: 'ACCOUNT', login_id: admin.loginId, client_ip: OFFICE, target_label: '203.0.113.0/24' });
    expect(event!.details).toMatchObject({ after: { address: '203.0.113.0/24', note: '本社' }, entries: 1, lockoutConfirmed: false });
    const failures = await auditOf(member.id, 'LOGIN_FAILED');
    expect(failures.map((f) => [f.client_ip, f.details.reason])).toEqual([[HOME, 'IP_NOT_ALLOWED'], ['203.0.114.0', 'IP_NOT_ALLOWED']]);
  });

  it('will not save a list that excludes the caller\'s own address unless confirmed; then the caller is locked out until the operator resets it', async () => {
    const { member, admin, adminToken } = await memberWithAdminAndClerk();
    const refused = await mutate(adminToken, OFFICE, ADD, { address: HOME });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'LOCKOUT_NOT_CONFIRMED', field: 'input.confirmLockout' })]);
    expect(refused.allowList).toBeNull();
    expect(await entriesOf(member.id)).toEqual([]);
    expect(await auditOf(member.id, 'ALLOW_LIST_ENTRY_ADDED')).toEqual([]);

    const office = await mutate(adminToken, OFFICE, ADD, { address: OFFICE });
    expect(office.userErrors).toEqual([]);
    const home = await mutate(adminToken, OFFICE, ADD, { address: HOME });
    expect(home.userErrors).toEqual([]);
    expect(home.allowList!.map((e) => e.address)).toEqual([OFFICE, HOME]);

    // Deleting or editing the caller's own entry would lock the caller out: refused, nothing changed.
    expect((await mutate(adminToken, OFFICE, DELETE, { id: office.entry!.id })).userErrors[0]?.code).toBe('LOCKOUT_NOT_CONFIRMED');
    expect((await mutate(adminToken, OFFICE, UPDATE, { id: office.entry!.id, address: '192.0.2.1' })).userErrors[0]?.code).toBe('LOCKOUT_NOT_CONFIRMED');
    expect((await entriesOf(member.id)).map((e) => e.cidr)).toEqual([OFFICE, HOME]);

    const confirmed = await mutate(adminToken, OFFICE, UPDATE, { id: office.entry!.id, address: '192.0.2.1', confirmLockout: true });
    expect(confirmed.userErrors).toEqual([]);
    expect((await stack.gql(LIST, {}, { token: adminToken, headers: headersFor(OFFICE) })).body.errors?.[0]?.extensions?.code).toBe('IP_NOT_ALLOWED');
    const [updated] = await auditOf(member.id, 'ALLOW_LIST_ENTRY_UPDATED');
    expect(updated!.details).toMatchObject({ before: { address: OFFICE }, after: { address: '192.0.2.1' }, lockoutConfirmed: true });

    // The operator's reset (CLI) lifts the restriction and is recorded.
    const cli = await runOperatorCommand(['reset-allow-list', member.memberNumber, '--reason', '電話にて依頼', '--by', 'test-operator'], { DATABASE_URL: stack.database.url });
    expect(cli.code).toBe(0);
    expect(cli.output).toContain('removed 2 entries');
    expect(await entriesOf(member.id)).toEqual([]);
    expect((await stack.gql(LIST, {}, { token: adminToken, headers: headersFor(OFFICE) })).body.errors).toBeUndefined();
    const [reset] = await auditOf(member.id, 'ALLOW_LIST_RESET');
    expect(reset).toMatchObject({ actor_type: 'OPERATOR', login_id: 'cli:test-operator', client_ip: null });
    expect(reset!.details).toEqual({ removed: ['192.0.2.1', HOME], reason: '電話にて依頼' });
    void admin;
  });

  it('the operator CLI names an unknown member and explains its usage', async () => {
    expect(await runOperatorCommand(['reset-allow-list', '99999999'], { DATABASE_URL: stack.database.url })).toMatchObject({ code: 1, output: expect.stringContaining('MEMBER_NOT_FOUND') });
    expect((await runOperatorCommand([], { DATABASE_URL: stack.database.url })).code).toBe(2);
  });

  it('deleting the last entry lifts the restriction', async () => {
    const { clerk, adminToken } = await memberWithAdminAndClerk();
    const added = await mutate(adminToken, OFFICE, ADD, { address: OFFICE });
    expect((await loginFrom(HOME, clerk.loginId, clerk.password)).body.data?.login.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
    const removed = await mutate(adminToken, OFFICE, DELETE, { id: added.entry!.id });
    expect(removed).toEqual({ entry: null, allowList: [], userErrors: [] });
    expect((await loginFrom(HOME, clerk.loginId, clerk.password)).body.data?.login.token).toBeTruthy();
  });
});

describe('entries', () => {
  it('are normalised, validated and limited, with the field named and nothing saved on error', async () => {
    const { member, adminToken } = await memberWithAdminAndClerk();
    expect((await mutate(adminToken, OFFICE, ADD, { address: '203.0.113.10/32' })).entry?.address).toBe(OFFICE);
    expect((await mutate(adminToken, OFFICE, ADD, { address: '::ffff:203.0.113.10' })).userErrors).toEqual([expect.objectContaining({ code: 'ADDRESS_DUPLICATE', field: 'input.address' })]);
    expect((await mutate(adminToken, OFFICE, ADD, { address: '2001:DB8::/32' })).entry?.address).toBe('2001:db8::/32');
    expect((await mutate(adminToken, OFFICE, ADD, { address: '10.1.2.3/8' })).entry?.address).toBe('10.0.0.0/8');
    for (const address of ['203.0.113', '203.0.113.0/33', 'office', '']) {
      expect((await mutate(adminToken, OFFICE, ADD, { address })).userErrors).toEqual([expect.objectContaining({ code: 'ADDRESS_INVALID', field: 'input.address' })]);
    }
    expect((await mutate(adminToken, OFFICE, ADD, { address: '192.0.2.1', note: 'あ'.repeat(101) })).userErrors[0]).toMatchObject({ code: 'NOTE_TOO_LONG', field: 'input.note' });
    expect((await mutate(adminToken, OFFICE, ADD, { address: '192.0.2.1', note: 'あ'.repeat(100) })).userErrors).toEqual([]);
    expect((await entriesOf(member.id)).length).toBe(4);
  });

  it('are at most 100 per member: the 100th is accepted, the 101st refused', async () => {
    const { member, adminToken } = await memberWithAdminAndClerk();
    await stack.sql(
      `insert into tenancy.ip_allow_entry (id, member_id, cidr, created_at, updated_at)
       select gen_random_uuid(), $1, '10.0.' || i || '.0/24', now(), now() from generate_series(1, 98) as i`,
      [member.id],
    );
    // 98 entries, one of them the office (so the admin keeps access); 99th and 100th through the API
    await stack.sql("update tenancy.ip_allow_entry set cidr = $2 where member_id = $1 and cidr = '10.0.98.0/24'", [member.id, OFFICE]);
    expect((await mutate(adminToken, OFFICE, ADD, { address: '10.0.98.0/24' })).userErrors).toEqual([]);
    expect((await mutate(adminToken, OFFICE, ADD, { address: HOME })).userErrors).toEqual([]);
    expect((await mutate(adminToken, OFFICE, ADD, { address: '192.0.2.1' })).userErrors).toEqual([expect.objectContaining({ code: 'TOO_MANY_ENTRIES' })]);
    expect((await entriesOf(member.id)).length).toBe(100);
  });

  it('of another member behave like unknown ones', async () => {
    const a = await memberWithAdminAndClerk();
    const b = await memberWithAdminAndClerk();
    const theirs = await mutate(b.adminToken, OFFICE, ADD, { address: OFFICE, note: 'B社' });
    const list = await stack.gql<{ ipAllowList: unknown[] }>(LIST, {}, { token: a.adminToken, headers: headersFor(OFFICE) });
    expect(list.body.data?.ipAllowList).toEqual([]);
    for (const [query, input] of [
      [UPDATE, { id: theirs.entry!.id, note: '乗っ取り' }],
      [DELETE, { id: theirs.entry!.id }],
    ] as const) {
      expect((await mutate(a.adminToken, OFFICE, query, input)).userErrors).toEqual([expect.objectContaining({ code: 'ENTRY_NOT_FOUND', field: 'input.id' })]);
    }
    expect((await entriesOf(b.member.id)).map((e) => e.cidr)).toEqual([OFFICE]);
  });
});

describe('permissions', () => {
  it('non-administrators are refused every allow-list field with FORBIDDEN at the gateway and at the subgraph', async () => {
    const { clerk } = await memberWithAdminAndClerk();
    const token = await tokenFrom(OFFICE, clerk);
    const ops: [string, Record<string, unknown>][] = [
      [LIST, {}],
      ['{ myCurrentAddress }', {}],
      [ADD, { input: { address: OFFICE } }],
      [UPDATE, { input: { id: '7d0f3c1e-0000-4000-8000-000000000000', note: 'x' } }],
      [DELETE, { input: { id: '7d0f3c1e-0000-4000-8000-000000000000' } }],
    ];
    for (const [query, variables] of ops) {
      expect((await stack.gql(query, variables, { token, headers: headersFor(OFFICE) })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await stack.callSubgraph('tenancy', query, variables, { accountId: clerk.id })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('only the back office may reset a member\'s list through the API', async () => {
    const { member, admin, adminToken } = await memberWithAdminAndClerk();
    await mutate(adminToken, OFFICE, ADD, { address: OFFICE });
    const RESET = 'mutation($input: ResetMemberIpAllowListInput!) { resetMemberIpAllowList(input: $input) { removedAddresses userErrors { code field } } }';
    const byAdmin = await stack.gql(RESET, { input: { memberNumber: member.memberNumber } }, { token: adminToken, headers: headersFor(OFFICE) });
    expect(byAdmin.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.callSubgraph('tenancy', RESET, { input: { memberNumber: member.memberNumber } }, { accountId: admin.id })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const loginId = `ops-${member.memberNumber}`;
    await stack.sql(`insert into tenancy.operator_account (id, login_id, name, email, password_hash) select gen_random_uuid(), $1, '管理 花子', 'ops@example.co.jp', password_hash from tenancy.account where id = $2`, [loginId, admin.id]);
    const login = await stack.gql<{ operatorLogin: { token: string } }>('mutation($input: LoginInput!) { operatorLogin(input: $input) { token } }', { input: { loginId, password: admin.password } });
    const opToken = login.body.data!.operatorLogin.token;
    const unknown = await stack.gql<{ resetMemberIpAllowList: { userErrors: { code: string }[] } }>(RESET, { input: { memberNumber: '00000000' } }, { token: opToken });
    expect(unknown.body.data?.resetMemberIpAllowList.userErrors).toEqual([{ code: 'MEMBER_NOT_FOUND', field: 'memberNumber' }]);
    const reset = await stack.gql<{ resetMemberIpAllowList: { removedAddresses: string[] } }>(RESET, { input: { memberNumber: member.memberNumber, reason: '電話' } }, { token: opToken, headers: headersFor('192.0.2.50') });
    expect(reset.body.data?.resetMemberIpAllowList.removedAddresses).toEqual([OFFICE]);
    const [event] = await auditOf(member.id, 'ALLOW_LIST_RESET');
    expect(event).toMatchObject({ actor_type: 'OPERATOR', login_id: loginId, client_ip: '192.0.2.50' });
  });
});
