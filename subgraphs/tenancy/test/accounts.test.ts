import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { attemptSubjectKey, PAIR_BLOCK_AT } from '@portal/subgraph-kit';
import { runAsSystem } from '@portal/platform';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['smartlock'] });
});
afterAll(async () => {
  await stack?.stop();
});

const PERMS = 'permissions { billing cancellation residents smartlock fireInsurance accessRestriction admin }';
const ERR = 'userErrors { code field message messageJa }';
const CREATE = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id loginId name email isAdmin cancellationNotify ${PERMS} } generatedPassword ${ERR} } }`;
const UPDATE = `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { account { id loginId name email isAdmin ${PERMS} } ${ERR} } }`;
const DELETE = `mutation($id: ID!) { deleteAccount(input: { id: $id }) { deletedAccountId ${ERR} } }`;
const RESET = `mutation($input: ResetAccountPasswordInput!) { resetAccountPassword(input: $input) { account { id } generatedPassword ${ERR} } }`;
const CHANGE = `mutation($input: ChangeMyPasswordInput!) { changeMyPassword(input: $input) { ok ${ERR} } }`;
const LIST = '{ accounts { id loginId isAdmin } }';
const LOGIN_Q = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const CLERK_PERMS = { billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE', admin: false };
const VIEW_PERMS = { billing: 'VIEW', cancellation: 'VIEW', residents: 'NONE', smartlock: 'VIEW', fireInsurance: 'VIEW', admin: false };

type Errors = { code: string; field: string | null; message: string; messageJa: string }[];
interface Payload {
  account?: { id: string; loginId: string; isAdmin: boolean; permissions: Record<string, unknown> } | null;
  generatedPassword?: string | null;
  deletedAccountId?: string | null;
  ok?: boolean;
  userErrors: Errors;
}

async function memberWithAdmin() {
  const member = await stack.seed.member();
  const admin = await stack.seed.account(member.id, { admin: true });
  const token = await stack.login(admin.loginId, admin.password);
  return { member, admin, token };
}

async function call(token: string, query: string, variables: Record<string, unknown>): Promise<Payload> {
  const r = await stack.gql<Record<string, Payload>>(query, variables, { token });
  expect(r.body.errors).toBeUndefined();
  return Object.values(r.body.data!)[0]!;
}

const accountRow = async (id: string) => (await stack.sql('select login_id, is_admin, billing_level, smartlock_level, password_hash from tenancy.account where id = $1', [id]))[0];
const auditOf = (memberId: string, action: string) => stack.sql<{ account_id: string | null; login_id: string | null; target_id: string; target_label: string; details: Record<string, unknown>; client_ip: string; request_id: string; actor_type: string }>(
  'select * from tenancy.audit_event where member_id = $1 and action = $2 order by seq', [memberId, action]);

describe('creating accounts (新規登録)', () => {
  it('creates an account with a generated password shown once; it logs in with it; the audit trail records it without the password', async () => {
    const { member, admin, token } = await memberWithAdmin();
    const created = await call(token, CREATE, { input: { loginId: 'Sato.Keiri@Example.co.jp', name: ' 佐藤 花子 ', email: 'sato@example.co.jp', permissions: CLERK_PERMS, cancellationNotify: true } });
    expect(created.userErrors).toEqual([]);
    expect(created.account).toMatchObject({ loginId: 'sato.keiri@example.co.jp', name: '佐藤 花子', isAdmin: false, cancellationNotify: true });
    expect(created.generatedPassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    const newToken = await stack.login('sato.keiri@example.co.jp', created.generatedPassword!);
    const me = await stack.gql<{ me: { account: { loginId: string } } }>('{ me { account { loginId } } }', {}, { token: newToken });
    expect(me.body.data?.me.account.loginId).toBe('sato.keiri@example.co.jp');

    const [event] = await auditOf(member.id, 'ACCOUNT_CREATED');
    expect(event).toMatchObject({ account_id: admin.id, login_id: admin.loginId, target_id: created.account!.id, target_label: 'sato.keiri@example.co.jp', actor_type: 'ACCOUNT', client_ip: '127.0.0.1' });
    expect(event!.details).toMatchObject({ after: { loginId: 'sato.keiri@example.co.jp', permissions: CLERK_PERMS, cancellationNotify: true }, initialLogin: 'GENERATED', firstAccount: false });
    const raw = JSON.stringify(await stack.sql('select * from tenancy.audit_event where member_id = $1', [member.id]));
    expect(raw).not.toContain(created.generatedPassword!);
    expect(raw).not.toContain('scrypt$');
  });

  it('uses an initial password the administrator sets, if it passes the policy (12 characters: yes; 11: no)', async () => {
    const { token } = await memberWithAdmin();
    const base = { name: '鈴木', email: 'suzuki@example.co.jp', permissions: VIEW_PERMS };
    const short = await call(token, CREATE, { input: { ...base, loginId: 'suzuki-short', initialPassword: 'Kq7#vRm2pLx' } });
    expect(short.userErrors).toEqual([expect.objectContaining({ code: 'PASSWORD_TOO_SHORT', field: 'input.initialPassword', messageJa: 'パスワードは12文字以上で入力してください。' })]);
    const common = await call(token, CREATE, { input: { ...base, loginId: 'suzuki-common', initialPassword: 'Password2024!' } });
    expect(common.userErrors[0]?.code).toBe('PASSWORD_TOO_COMMON');
    expect(await stack.sql("select 1 from tenancy.account where login_id like 'suzuki-%'")).toEqual([]);
    const ok = await call(token, CREATE, { input: { ...base, loginId: 'suzuki-ok', initialPassword: 'Kq7#vRm2pLxz' } });
    expect(ok.userErrors).toEqual([]);
    expect(ok.generatedPassword).toBeNull();
    await stack.login('suzuki-ok', 'Kq7#vRm2pLxz');
  });

  it('refuses malformed and taken login IDs (also one of another member), a missing name and a bad e-mail, saving nothing', async () => {
    const { member, token } = await memberWithAdmin();
    const other = await stack.seed.member();
    const taken = await stack.seed.account(other.id, { loginId: `taken-${Date.now()}` });
    const before = (await stack.sql('select count(*)::int as n from tenancy.account where member_id = $1', [member.id]))[0]!.n;
    const bad = await call(token, CREATE, { input: { loginId: 'ab', name: '  ', email: 'not-an-email', permissions: VIEW_PERMS } });
    expect(bad.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['LOGIN_ID_INVALID', 'input.loginId'],
      ['NAME_REQUIRED', 'input.name'],
      ['EMAIL_INVALID', 'input.email'],
    ]);
    const dup = await call(token, CREATE, { input: { loginId: taken.loginId.toUpperCase(), name: '田中', email: 't@example.co.jp', permissions: VIEW_PERMS } });
    expect(dup.userErrors).toEqual([expect.objectContaining({ code: 'LOGIN_ID_TAKEN', field: 'input.loginId' })]);
    const long = await call(token, CREATE, { input: { loginId: 'long-name', name: '名'.repeat(31), email: 't@example.co.jp', permissions: VIEW_PERMS } });
    expect(long.userErrors[0]?.code).toBe('NAME_TOO_LONG');
    expect((await stack.sql('select count(*)::int as n from tenancy.account where member_id = $1', [member.id]))[0]!.n).toBe(before);
  });
});

describe('the administrator rules', () => {
  it('refuses to delete the last account, naming the rule; nothing changes', async () => {
    const { admin, token } = await memberWithAdmin();
    const r = await call(token, DELETE, { id: admin.id });
    expect(r.userErrors).toEqual([expect.objectContaining({ code: 'LAST_ACCOUNT', field: 'input.id', messageJa: '登録が1名のみの場合は削除できません。' })]);
    expect(r.deletedAccountId).toBeNull();
    expect(await accountRow(admin.id)).toBeTruthy();
  });

  it('refuses to demote or delete the last administrator while other accounts exist; nothing changes', async () => {
    const { admin, token } = await memberWithAdmin();
    const clerk = await stack.seed.account((await stack.sql<{ member_id: string }>('select member_id from tenancy.account where id = $1', [admin.id]))[0]!.member_id);
    const demote = await call(token, UPDATE, { input: { id: admin.id, name: '新しい名前', permissions: { ...CLERK_PERMS, admin: false } } });
    expect(demote.userErrors).toEqual([expect.objectContaining({ code: 'LAST_ADMINISTRATOR', field: 'input.permissions.admin' })]);
    const del = await call(token, DELETE, { id: admin.id });
    expect(del.userErrors).toEqual([expect.objectContaining({ code: 'LAST_ADMINISTRATOR' })]);
    expect(await accountRow(admin.id)).toMatchObject({ is_admin: true });
    expect((await stack.sql('select name from tenancy.account where id = $1', [admin.id]))[0]!.name).not.toBe('新しい名前');
    // Once the clerk is an administrator too, the first one may step down and then be deleted.
    expect((await call(token, UPDATE, { input: { id: clerk.id, permissions: { ...CLERK_PERMS, admin: true } } })).userErrors).toEqual([]);
    expect((await call(token, UPDATE, { input: { id: admin.id, permissions: VIEW_PERMS } })).userErrors).toEqual([]);
    const clerkToken = await stack.login(clerk.loginId, clerk.password);
    expect((await call(clerkToken, DELETE, { id: admin.id })).deletedAccountId).toBe(admin.id);
  });

  it('makes the first account of a member its administrator, whatever was asked', async () => {
    const member = await stack.seed.member();
    const booted = stack.subgraphs.tenancy!;
    const em = booted.orm.em.fork();
    em.setFilterParams('member', { memberId: member.id });
    const { AccountService } = await import('../src/modules/account/account.service.ts');
    const identity = { kind: 'operator' as const, accountId: null, memberId: member.id, sessionId: null, clientIp: '127.0.0.1', requestId: 'test' };
    const service = new AccountService({ em: em as never, clock: booted.clock, identity });
    // Operator tooling works across members: row-level security's system scope, as the back office gets.
    const first = await runAsSystem('test: operator tooling', () => service.create({ loginId: `first-${Date.now()}`, name: '最初', email: 'first@example.co.jp', permissions: VIEW_PERMS }, member.id));
    const second = await runAsSystem('test: operator tooling', () => service.create({ loginId: `second-${Date.now()}`, name: '二番目', email: 'second@example.co.jp', permissions: VIEW_PERMS }, member.id));
    expect(first.ok && first.account.isAdmin).toBe(true);
    expect(second.ok && second.account.isAdmin).toBe(false);
    const [event] = await auditOf(member.id, 'ACCOUNT_CREATED');
    expect(event).toMatchObject({ actor_type: 'OPERATOR' });
    expect(event!.details).toMatchObject({ firstAccount: true, after: { permissions: { admin: true } } });
  });
});

describe('permission changes and deletion apply on the next request', () => {
  it('revoking smartlock VIEW refuses the logged-in account\'s next smartlock request; granting admin allows account management at once', async () => {
    const { member, token } = await memberWithAdmin();
    const clerk = await stack.seed.account(member.id, { smartlock: 'VIEW' });
    const clerkToken = await stack.login(clerk.loginId, clerk.password);
    const RECIPIENTS = '{ smartlockRecipients { totalCount } }';
    expect((await stack.gql(RECIPIENTS, {}, { token: clerkToken })).body.errors).toBeUndefined();

    const revoked = await call(token, UPDATE, { input: { id: clerk.id, permissions: { ...VIEW_PERMS, smartlock: 'NONE' } } });
    expect(revoked.userErrors).toEqual([]);
    const refused = await stack.gql(RECIPIENTS, {}, { token: clerkToken });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.data ?? null).toBeNull();

    expect((await stack.gql(LIST, {}, { token: clerkToken })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await call(token, UPDATE, { input: { id: clerk.id, permissions: { ...VIEW_PERMS, admin: true } } });
    expect((await stack.gql(LIST, {}, { token: clerkToken })).body.errors).toBeUndefined();

    const [changed] = await auditOf(member.id, 'PERMISSIONS_CHANGED');
    expect(changed!.details).toEqual({
      before: { billing: 'VIEW', cancellation: 'NONE', residents: 'NONE', smartlock: 'VIEW', fireInsurance: 'NONE', admin: false },
      after: { ...VIEW_PERMS, smartlock: 'NONE' },
    });
  });

  it('deleting an account ends its sessions at once and records it', async () => {
    const { member, token } = await memberWithAdmin();
    const clerk = await stack.seed.account(member.id);
    const clerkToken = await stack.login(clerk.loginId, clerk.password);
    const r = await call(token, DELETE, { id: clerk.id });
    expect(r).toEqual({ deletedAccountId: clerk.id, userErrors: [] });
    const after = await stack.gql('{ me { scopes } }', {}, { token: clerkToken });
    expect(after.status).toBe(401);
    expect(await stack.sql('select 1 from tenancy.session where account_id = $1', [clerk.id])).toEqual([]);
    const [event] = await auditOf(member.id, 'ACCOUNT_DELETED');
    expect(event).toMatchObject({ target_id: clerk.id, target_label: clerk.loginId });
    expect(event!.details).toMatchObject({ sessionsRevoked: 1, before: { loginId: clerk.loginId, isAdmin: false } });
  });

  it('editing login ID, name and e-mail is recorded with before and after', async () => {
    const { member, token } = await memberWithAdmin();
    const clerk = await stack.seed.account(member.id, { name: '旧姓', email: 'old@example.co.jp' });
    const r = await call(token, UPDATE, { input: { id: clerk.id, loginId: `${clerk.loginId}-new`, name: '新姓', email: 'new@example.co.jp' } });
    expect(r.userErrors).toEqual([]);
    expect(r.account).toMatchObject({ loginId: `${clerk.loginId}-new` });
    const [event] = await auditOf(member.id, 'ACCOUNT_UPDATED');
    expect(event!.details).toEqual({ before: { loginId: clerk.loginId, name: '旧姓', email: 'old@example.co.jp' }, after: { loginId: `${clerk.loginId}-new`, name: '新姓', email: 'new@example.co.jp' } });
    expect(await auditOf(member.id, 'PERMISSIONS_CHANGED')).toEqual([]);
  });
});

describe('passwords', () => {
  it('an administrator resets another account\'s password: its sessions end, its login blocks lift, the new password works', async () => {
    const { member, admin, token } = await memberWithAdmin();
    const clerk = await stack.seed.account(member.id);
    const clerkToken = await stack.login(clerk.loginId, clerk.password);
    // An attacker got the clerk's login ID blocked from this address (the limiter's pair counter at its block).
    const subject = attemptSubjectKey('login', clerk.loginId);
    await stack.sql("insert into tenancy.attempt_counter (purpose, kind, key, subject, failures, window_started_at) values ('login', 'pair', $1, $2, $3, now()) on conflict (purpose, kind, key) do update set failures = excluded.failures, window_started_at = now()", [`127.0.0.1|${subject}`, subject, PAIR_BLOCK_AT]);
    expect((await stack.gql<{ login: { token: string | null } }>(LOGIN_Q, { input: { loginId: clerk.loginId, password: clerk.password } })).body.data?.login.token).toBeNull();
    const own = await call(token, RESET, { input: { id: admin.id } });
    expect(own.userErrors[0]?.code).toBe('RESET_OWN_PASSWORD');
    const r = await call(token, RESET, { input: { id: clerk.id } });
    expect(r.userErrors).toEqual([]);
    expect((await stack.gql('{ me { scopes } }', {}, { token: clerkToken })).status).toBe(401);
    expect(await accountRow(clerk.id)).toMatchObject({ login_id: clerk.loginId });
    await stack.login(clerk.loginId, r.generatedPassword!);
    const [event] = await auditOf(member.id, 'PASSWORD_RESET');
    expect(event!.details).toEqual({ generated: true, sessionsRevoked: 1 });
  });

  it('every account changes its own password with the current one; other sessions end, this one stays', async () => {
    const member = await stack.seed.member();
    const viewer = await stack.seed.account(member.id, { billing: 'VIEW' });
    const tokenA = await stack.login(viewer.loginId, viewer.password);
    const tokenB = await stack.login(viewer.loginId, viewer.password);
    const wrong = await call(tokenA, CHANGE, { input: { currentPassword: 'not-the-password', newPassword: 'Kq7#vRm2pLxz-new' } });
    expect(wrong.userErrors).toEqual([expect.objectContaining({ code: 'CURRENT_PASSWORD_INCORRECT', field: 'input.currentPassword' })]);
    for (const [newPassword, code] of [
      ['Kq7#vRm2pLx', 'PASSWORD_TOO_SHORT'],
      ['K'.repeat(64) + 'q7#vRm2pLxz'.repeat(6), 'PASSWORD_TOO_LONG'],
      ['qwerty123456', 'PASSWORD_TOO_COMMON'],
      [`${viewer.loginId}-Kq7#`, 'PASSWORD_CONTAINS_LOGIN_ID'],
      [viewer.password + '', viewer.password.length >= 12 ? 'PASSWORD_UNCHANGED' : 'PASSWORD_TOO_SHORT'],
    ] as const) {
      const r = await call(tokenA, CHANGE, { input: { currentPassword: viewer.password, newPassword } });
      expect(r.userErrors.map((e) => [e.code, e.field])).toEqual([[code, 'input.newPassword']]);
    }
    const hashBefore = (await accountRow(viewer.id))!.password_hash;
    expect(hashBefore).toBeTruthy();
    const ok = await call(tokenA, CHANGE, { input: { currentPassword: viewer.password, newPassword: 'Kq7#vRm2pLxz' } });
    expect(ok).toEqual({ ok: true, userErrors: [] });
    expect((await stack.gql('{ me { scopes } }', {}, { token: tokenA })).body.errors).toBeUndefined();
    expect((await stack.gql('{ me { scopes } }', {}, { token: tokenB })).status).toBe(401);
    await stack.login(viewer.loginId, 'Kq7#vRm2pLxz');
    const [event] = await auditOf(member.id, 'PASSWORD_CHANGED');
    expect(event).toMatchObject({ account_id: viewer.id, login_id: viewer.loginId });
    expect(event!.details).toEqual({ otherSessionsRevoked: 1 });
  });
});

describe('isolation and permissions', () => {
  it('an administrator sees only its own member\'s accounts; another member\'s account behaves like an unknown one', async () => {
    const a = await memberWithAdmin();
    const b = await memberWithAdmin();
    const list = await stack.gql<{ accounts: { id: string }[] }>(LIST, {}, { token: a.token });
    expect(list.body.data?.accounts.map((x) => x.id)).toEqual([a.admin.id]);
    const otherOne = await stack.gql('query($id: ID!) { account(id: $id) { id } }', { id: b.admin.id }, { token: a.token });
    const unknown = await stack.gql('query($id: ID!) { account(id: $id) { id } }', { id: '7d0f3c1e-0000-4000-8000-000000000000' }, { token: a.token });
    expect(otherOne.body).toEqual(unknown.body);
    for (const [query, variables] of [
      [UPDATE, { input: { id: b.admin.id, name: '乗っ取り' } }],
      [DELETE, { id: b.admin.id }],
      [RESET, { input: { id: b.admin.id } }],
    ] as const) {
      const r = await call(a.token, query, variables);
      expect(r.userErrors).toEqual([expect.objectContaining({ code: 'ACCOUNT_NOT_FOUND', field: 'input.id' })]);
    }
    expect(await accountRow(b.admin.id)).toBeTruthy();
    await stack.login(b.admin.loginId, b.admin.password);
  });

  it('non-administrators are refused account management with FORBIDDEN at the gateway and at the subgraph', async () => {
    const member = await stack.seed.member();
    const clerk = await stack.seed.account(member.id, { billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' });
    const token = await stack.login(clerk.loginId, clerk.password);
    const ops: [string, Record<string, unknown>][] = [
      [LIST, {}],
      ['query($id: ID!) { account(id: $id) { id } }', { id: clerk.id }],
      [CREATE, { input: { loginId: 'nope-nope', name: 'x', email: 'x@example.co.jp', permissions: VIEW_PERMS } }],
      [UPDATE, { input: { id: clerk.id, permissions: { ...VIEW_PERMS, admin: true } } }],
      [DELETE, { id: clerk.id }],
      [RESET, { input: { id: clerk.id } }],
    ];
    for (const [query, variables] of ops) {
      const viaGateway = await stack.gql(query, variables, { token });
      expect(viaGateway.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const direct = await stack.callSubgraph('tenancy', query, variables, { accountId: clerk.id });
      expect(direct.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await accountRow(clerk.id)).toMatchObject({ is_admin: false });
    expect(await stack.sql("select 1 from tenancy.account where login_id = 'nope-nope'")).toEqual([]);
    // changing one's own password needs only a session
    expect((await stack.gql(CHANGE, { input: { currentPassword: 'x', newPassword: 'y' } })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await call(token, CHANGE, { input: { currentPassword: 'x', newPassword: 'y' } })).userErrors[0]?.code).toBe('CURRENT_PASSWORD_INCORRECT');
  });
});
