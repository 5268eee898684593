import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: [] });
});
afterAll(async () => {
  await stack?.stop();
});

const SEARCH = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id at action actionLabel actorType accountId loginId clientIp requestId targetType targetId targetLabel details } }
  }
}`;
const EXPORT = 'mutation($filter: AuditEventFilter) { exportAuditEvents(filter: $filter) { url filename expiresAt rowCount userErrors { code field } } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';

interface Node { id: string; at: string; action: string; actionLabel: string; actorType: string; accountId: string | null; loginId: string | null; clientIp: string | null; requestId: string | null; targetType: string | null; targetId: string | null; targetLabel: string | null; details: string }
interface Page { auditEvents: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] } }

async function search(token: string, variables: Record<string, unknown> = {}) {
  const r = await stack.gql<Page>(SEARCH, variables, { token });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.auditEvents;
}

async function memberWithAdmin() {
  const member = await stack.seed.member();
  const admin = await stack.seed.account(member.id, { admin: true });
  return { member, admin, token: await stack.login(admin.loginId, admin.password) };
}

describe('logins and logouts in the trail', () => {
  it('records a successful login, a wrong password (against the account, no actor), a logout; an unknown login ID goes to no member', async () => {
    const { member, admin, token } = await memberWithAdmin();
    const clerk = await stack.seed.account(member.id);
    await stack.gql(LOGIN, { input: { loginId: clerk.loginId, password: 'wrong-password-1' } });
    const typedSecret = `typed-secret-${Date.now()}`;
    await stack.gql(LOGIN, { input: { loginId: typedSecret, password: 'whatever-1234' } });
    const clerkToken = await stack.login(clerk.loginId, clerk.password);
    await stack.gql('mutation { logout { ok } }', {}, { token: clerkToken });

    const page = await search(token, { filter: { accountId: clerk.id } });
    expect(page.edges.map((e) => e.node.action)).toEqual(['LOGOUT', 'LOGIN_SUCCEEDED', 'LOGIN_FAILED']);
    const [logout, success, failure] = page.edges.map((e) => e.node);
    expect(failure).toMatchObject({ actorType: 'ANONYMOUS', accountId: null, loginId: clerk.loginId, targetType: 'Account', targetId: clerk.id, clientIp: '127.0.0.1', actionLabel: 'ログイン失敗' });
    expect(JSON.parse(failure!.details)).toEqual({ reason: 'WRONG_PASSWORD', failuresFromThisAddress: 1 });
    expect(success).toMatchObject({ actorType: 'ACCOUNT', accountId: clerk.id, loginId: clerk.loginId });
    expect(logout).toMatchObject({ actorType: 'ACCOUNT', accountId: clerk.id, requestId: expect.any(String) });
    // The administrator's own login is there too.
    expect((await search(token, { filter: { accountId: admin.id, actions: ['LOGIN_SUCCEEDED'] } })).totalCount).toBe(1);

    const anonymous = await stack.sql<{ member_id: string | null; login_id: string | null; details: unknown }>("select member_id, login_id, details from tenancy.audit_event where action = 'LOGIN_FAILED' and details->>'reason' = 'UNKNOWN_LOGIN_ID'");
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous.every((e) => e.member_id === null && e.login_id === null)).toBe(true);
    expect(JSON.stringify(await stack.sql('select * from tenancy.audit_event'))).not.toContain(typedSecret);
    expect(JSON.stringify((await search(token)).edges)).not.toContain('UNKNOWN_LOGIN_ID');
  }, 60_000);
});

describe('searching the trail', () => {
  it('filters by action, account and Japan-time dates (both inclusive, at the edges), newest first, paged by cursor', async () => {
    const { member, admin, token } = await memberWithAdmin();
    const insert = (at: string, action: string, accountId: string | null = admin.id) =>
      stack.sql(
        `insert into tenancy.audit_event (id, member_id, at, actor_type, account_id, login_id, action, details) values (gen_random_uuid(), $1, $2, 'ACCOUNT', $3, 'x', $4::tenancy.audit_action, '{}')`,
        [member.id, at, accountId, action],
      );
    await insert('2025-10-31T14:59:59.999Z', 'ACCOUNT_UPDATED'); // Oct 31 23:59:59.999 JST
    await insert('2025-10-31T15:00:00.000Z', 'ACCOUNT_UPDATED'); // Nov 1 00:00 JST
    await insert('2025-11-30T14:59:59.999Z', 'PERMISSIONS_CHANGED'); // Nov 30 23:59:59.999 JST
    await insert('2025-11-30T15:00:00.000Z', 'ACCOUNT_UPDATED'); // Dec 1 00:00 JST

    const november = await search(token, { filter: { from: '2025-11-01', to: '2025-11-30' } });
    expect(november.edges.map((e) => e.node.at)).toEqual(['2025-11-30T14:59:59.999Z', '2025-10-31T15:00:00.000Z']);
    expect((await search(token, { filter: { from: '2025-11-01', to: '2025-11-30', actions: ['PERMISSIONS_CHANGED'] } })).totalCount).toBe(1);
    const bad = await stack.gql(SEARCH, { filter: { from: '2026-12-01', to: '2026-11-30' } }, { token });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const all = await search(token);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: Page['auditEvents'] = await search(token, { first: 2, after });
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    expect(new Set(seen).size).toBe(all.totalCount);
    expect((await stack.gql(SEARCH, { after: 'bm90LWEtY3Vyc29y' }, { token })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await stack.gql(SEARCH, { first: 201 }, { token })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('makes a constant number of SQL statements whatever the page size', async () => {
    const { member, token } = await memberWithAdmin();
    await stack.sql(
      `insert into tenancy.audit_event (id, member_id, at, actor_type, action, details) select gen_random_uuid(), $1, now(), 'ANONYMOUS', 'LOGIN_FAILED', '{}' from generate_series(1, 60)`,
      [member.id],
    );
    const count = async (first: number) => {
      const before = stack.sqlStatements('tenancy');
      await search(token, { first });
      return stack.sqlStatements('tenancy') - before;
    };
    expect(await count(50)).toBe(await count(1));
  });

  it('shows an administrator only its own member\'s trail', async () => {
    const a = await memberWithAdmin();
    const b = await memberWithAdmin();
    const mine = await search(a.token);
    expect(mine.edges.length).toBeGreaterThan(0);
    const ids = new Set((await stack.sql<{ id: string }>('select id from tenancy.audit_event where member_id = $1', [a.member.id])).map((r) => r.id));
    expect(mine.edges.every((e) => ids.has(e.node.id))).toBe(true);
    expect((await search(b.token, { filter: { accountId: a.admin.id } })).totalCount).toBe(0);
    expect((await search(a.token, { filter: { accountId: 'not-a-uuid' } })).totalCount).toBe(0);
  });
});

describe('exporting the trail (CSV)', () => {
  it('returns a short-lived signed link to a UTF-8 CSV with BOM, and records the export', async () => {
    const { member, admin, token } = await memberWithAdmin();
    const r = await stack.gql<{ exportAuditEvents: { url: string; filename: string; expiresAt: string; rowCount: number; userErrors: unknown[] } }>(EXPORT, { filter: { actions: ['LOGIN_SUCCEEDED'] } }, { token });
    expect(r.body.errors).toBeUndefined();
    const out = r.body.data!.exportAuditEvents;
    expect(out).toMatchObject({ rowCount: 1, userErrors: [], filename: expect.stringMatching(/^audit-trail-\d{8}\.csv$/) });
    const file = await fetch(new URL(out.url, stack.gatewayUrl));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('日時,操作,操作コード,実行者種別,ログインID,担当者ID,IPアドレス,対象種別,対象ID,対象,変更内容,リクエストID');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`ログイン,LOGIN_SUCCEEDED,担当者,${admin.loginId},${admin.id},127.0.0.1`);
    const [event] = await stack.sql<{ details: Record<string, unknown> }>("select details from tenancy.audit_event where member_id = $1 and action = 'AUDIT_EXPORTED'", [member.id]);
    expect(event!.details).toEqual({ filter: { actions: ['LOGIN_SUCCEEDED'] }, rowCount: 1 });
    // A tampered link is refused.
    expect((await fetch(new URL(out.url.slice(0, -2) + 'xx', stack.gatewayUrl))).status).toBeGreaterThanOrEqual(400);
  });

  it('refuses a reversed period as a user error', async () => {
    const { token } = await memberWithAdmin();
    const r = await stack.gql<{ exportAuditEvents: { url: string | null; userErrors: unknown[] } }>(EXPORT, { filter: { from: '2026-11-02', to: '2026-11-01' } }, { token });
    expect(r.body.data?.exportAuditEvents).toMatchObject({ url: null, userErrors: [{ code: 'INVALID_DATE_RANGE', field: 'filter.from' }] });
  });
});

describe('append-only', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE of the trail', async () => {
    const { member } = await memberWithAdmin();
    const before = await stack.sql('select * from tenancy.audit_event where member_id = $1', [member.id]);
    expect(before.length).toBeGreaterThan(0);
    await expect(stack.sql("update tenancy.audit_event set login_id = 'someone-else' where member_id = $1", [member.id])).rejects.toThrow(/append-only/);
    await expect(stack.sql('delete from tenancy.audit_event where member_id = $1', [member.id])).rejects.toThrow(/append-only/);
    await expect(stack.sql('truncate tenancy.audit_event')).rejects.toThrow(/append-only/);
    expect(await stack.sql('select * from tenancy.audit_event where member_id = $1', [member.id])).toEqual(before);
  });

  it('recordAudit refuses to run outside a transaction, so a record cannot outlive a rolled-back action', async () => {
    const { recordAudit } = await import('@portal/tenancy');
    const em = stack.subgraphs.tenancy!.orm.em.fork();
    await expect(recordAudit(em as never, { clock: stack.subgraphs.tenancy!.clock }, { action: 'LOGOUT', memberId: null })).rejects.toThrow(/inside the transaction/);
  });
});

describe('permissions', () => {
  it('non-administrators are refused the trail and its export with FORBIDDEN at the gateway and at the subgraph', async () => {
    const member = await stack.seed.member();
    for (const perms of [{ billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' }, { billing: 'VIEW', cancellation: 'VIEW', smartlock: 'VIEW', fireInsurance: 'VIEW' }] as const) {
      const account = await stack.seed.account(member.id, perms);
      const token = await stack.login(account.loginId, account.password);
      for (const query of [SEARCH, EXPORT]) {
        expect((await stack.gql(query, {}, { token })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect((await stack.callSubgraph('tenancy', query, {}, { accountId: account.id })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect(await stack.sql("select 1 from tenancy.audit_event where member_id = $1 and action = 'AUDIT_EXPORTED'", [member.id])).toEqual([]);
  });
});
