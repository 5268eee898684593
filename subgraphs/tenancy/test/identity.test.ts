import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy'] });
});
afterAll(async () => {
  await stack?.stop();
});

const ME = `{ me { account { loginId isAdmin permissions { billing cancellation residents smartlock fireInsurance accessRestriction admin } } member { memberNumber name } scopes } }`;

describe('login, me and logout through the gateway', () => {
  it('logs in, answers me with the permissions, and logs out for good', async () => {
    const member = await stack.seed.member({ name: '株式会社テスト' });
    const account = await stack.seed.account(member.id, { billing: 'UPDATE', cancellation: 'VIEW', smartlock: 'VIEW' });
    const token = await stack.login(account.loginId, account.password);

    const me = await stack.gql<{ me: { account: { loginId: string; permissions: Record<string, unknown> }; member: { memberNumber: string }; scopes: string[] } }>(ME, {}, { token });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data?.me.account.loginId).toBe(account.loginId);
    expect(me.body.data?.me.member.memberNumber).toBe(member.memberNumber);
    expect(me.body.data?.me.account.permissions).toEqual({ billing: 'UPDATE', cancellation: 'VIEW', residents: 'NONE', smartlock: 'VIEW', fireInsurance: 'NONE', accessRestriction: false, admin: false });
    expect(me.body.data?.me.scopes.sort()).toEqual(['billing:update', 'billing:view', 'cancellation:view', 'smartlock:view']);

    const out = await stack.gql<{ logout: { ok: boolean } }>('mutation { logout { ok } }', {}, { token });
    expect(out.body.data?.logout.ok).toBe(true);
    const after = await stack.gql(ME, {}, { token });
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown login ID the same way', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id);
    const q = 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code field message messageJa } } }';
    const wrong = await stack.gql<{ login: { token: null; userErrors: unknown[] } }>(q, { input: { loginId: account.loginId, password: 'nope-nope-nope' } });
    const unknown = await stack.gql<{ login: { token: null; userErrors: unknown[] } }>(q, { input: { loginId: 'no-such-login', password: 'nope-nope-nope' } });
    expect(wrong.body.data?.login.token).toBeNull();
    expect(wrong.body.data?.login.userErrors).toEqual(unknown.body.data?.login.userErrors);
    expect(wrong.body.data?.login.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_CREDENTIALS' })]);
  });

  it('refuses me without a session with UNAUTHENTICATED before calling any subgraph', async () => {
    const before = stack.sqlStatements('tenancy');
    const r = await stack.gql(ME);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.body.data ?? null).toBeNull();
    expect(stack.sqlStatements('tenancy')).toBe(before);
  });

  it('refuses the 11th attempt on one login ID from one address, even with the right password', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id);
    const q = 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';
    for (let i = 1; i <= 9; i++) await stack.gql(q, { input: { loginId: account.loginId, password: `wrong-${i}` } });
    // After 9 failures the address may still try: the right password works (and the pair starts again).
    const tenth = await stack.gql<{ login: { token: string | null } }>(q, { input: { loginId: account.loginId, password: account.password } });
    expect(tenth.body.data?.login.token).toEqual(expect.any(String));
    for (let i = 1; i <= 10; i++) await stack.gql(q, { input: { loginId: account.loginId, password: `wrong-${i}` } });
    const blocked = await stack.gql<{ login: { token: string | null; userErrors: { code: string }[] } }>(q, { input: { loginId: account.loginId, password: account.password } });
    expect(blocked.body.data?.login).toEqual({ token: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });
  }, 120_000);
});

describe('the tenancy subgraph without the gateway', () => {
  it('answers 401 to a request without the internal identity, for _service and _entities too', async () => {
    for (const query of ['{ _service { sdl } }', '{ _entities(representations: [{ __typename: "Room", id: "00000000-0000-0000-0000-000000000000" }]) { __typename } }', '{ me { scopes } }']) {
      const r = await stack.callSubgraph('tenancy', query, {}, { identity: false });
      expect(r.status).toBe(401);
    }
  });

  it('refuses a forged identity header sent through the gateway', async () => {
    const r = await stack.gql('{ me { scopes } }', {}, { headers: { 'x-portal-identity': 'eyJhbGciOiJFZERTQSJ9.e30.AAAA' } });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('member isolation of rooms', () => {
  it('never shows another member\'s room, whatever id is supplied', async () => {
    const a = await stack.seed.member();
    const b = await stack.seed.member();
    const adminA = await stack.seed.account(a.id, { admin: true });
    const [roomA] = await stack.seed.rooms(a.id, 1);
    const [roomB] = await stack.seed.rooms(b.id, 1);
    const token = await stack.login(adminA.loginId, adminA.password);

    const own = await stack.gql<{ room: { id: string } | null }>('query($id: ID!) { room(id: $id) { id apNo } }', { id: roomA!.id }, { token });
    expect(own.body.data?.room?.id).toBe(roomA!.id);
    const other = await stack.gql<{ room: null }>('query($id: ID!) { room(id: $id) { id apNo } }', { id: roomB!.id }, { token });
    const missing = await stack.gql<{ room: null }>('query($id: ID!) { room(id: $id) { id apNo } }', { id: '7d0f3c1e-0000-4000-8000-000000000000' }, { token });
    expect(other.body).toEqual(missing.body);
    expect(other.body.data?.room).toBeNull();

    const list = await stack.gql<{ rooms: { totalCount: number; edges: { node: { id: string } }[] } }>('{ rooms { totalCount edges { node { id } } } }', {}, { token });
    expect(list.body.data?.rooms.edges.map((e) => e.node.id)).toEqual([roomA!.id]);

    const entities = await stack.callSubgraph<{ _entities: (null | { id: string })[] }>(
      'tenancy',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Room { id apNo } } }',
      { r: [{ __typename: 'Room', id: roomB!.id }, { __typename: 'Room', id: roomA!.id }] },
      { accountId: adminA.id },
    );
    expect(entities.body.data?._entities).toEqual([null, { id: roomA!.id, apNo: expect.any(String) }]);
  });
});

describe('operators', () => {
  it('log in with operatorLogin, hold only the operator scope, and no member account can use operator fields', async () => {
    const { OperatorService } = await import('@portal/tenancy');
    void OperatorService;
    await stack.sql(
      `insert into tenancy.operator_account (id, login_id, name, email, password_hash)
       select gen_random_uuid(), 'ops-test', '管理 花子', 'ops@example.co.jp', password_hash from tenancy.account limit 1`,
    );
    const anyAccount = (await stack.sql<{ login_id: string }>('select login_id from tenancy.account limit 1'))[0]!;
    void anyAccount;
    // The copied hash is that of the seed password of the first account.
    const r = await stack.gql<{ operatorLogin: { token: string | null } }>('mutation($i: LoginInput!) { operatorLogin(input: $i) { token } }', { i: { loginId: 'ops-test', password: 'Correct-Horse-9' } });
    const token = r.body.data?.operatorLogin.token;
    expect(token).toEqual(expect.any(String));
    const me = await stack.gql<{ operatorMe: { loginId: string } }>('{ operatorMe { loginId name } }', {}, { token: token! });
    expect(me.body.data?.operatorMe.loginId).toBe('ops-test');
    // An operator has no member: member data is refused.
    const rooms = await stack.gql('{ rooms { totalCount } }', {}, { token: token! });
    expect(rooms.body.data ?? null).toBeNull();

    const member = await stack.seed.member();
    const admin = await stack.seed.account(member.id, { admin: true });
    const memberToken = await stack.login(admin.loginId, admin.password);
    const denied = await stack.gql('{ operatorMe { loginId } }', {}, { token: memberToken });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps sessions valid when the business clock is set to another day', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id);
    stack.setClock(new Date('2024-01-10T10:00:00+09:00'));
    try {
      const token = await stack.login(account.loginId, account.password);
      const me = await stack.gql<{ me: { account: { loginId: string } } }>('{ me { account { loginId } } }', {}, { token });
      expect(me.body.data?.me.account.loginId).toBe(account.loginId);
    } finally {
      stack.setClock(null);
    }
  });
});
