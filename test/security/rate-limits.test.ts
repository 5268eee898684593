import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

/**
 * Rate limits at the gateway (issue 10 item 9), over HTTP on a real PostgreSQL: token buckets per
 * account, per member and per client address for anonymous calls, shared by gateway replicas, and
 * the cost budget. Limits are lowered for the test; addresses are simulated through the trusted
 * proxy's X-Forwarded-For (the test client connects from 127.0.0.1, listed as a trusted proxy).
 */
const LIMITS = 'account=5/60,member=8/60,address=4/60';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: [], gatewayEnv: { PORTAL_RATE_LIMITS: LIMITS, PORTAL_TRUSTED_PROXIES: '127.0.0.1' } });
});
afterAll(async () => {
  await stack?.stop();
});

let addressCounter = 0;
/** A documentation-range address nobody else in this file uses. */
const freshAddress = () => `198.51.100.${++addressCounter}`;

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function call(query: string, o: { token?: string; address?: string; url?: string; variables?: Record<string, unknown> } = {}): Promise<Answer> {
  const res = await fetch(o.url ?? stack.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(o.address ? { 'x-forwarded-for': o.address } : {}),
    },
    body: JSON.stringify({ query, variables: o.variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

/** A member with one account, logged in from its own address (logins are anonymous calls, charged per address). */
async function loggedIn(): Promise<{ token: string; memberId: string; accountId: string }> {
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id);
  const r = await call('mutation L($input: LoginInput!) { login(input: $input) { token } }', { address: freshAddress(), variables: { input: { loginId: account.loginId, password: account.password } } });
  const token = (r.body.data?.login as { token?: string } | undefined)?.token;
  if (!token) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return { token, memberId: member.id, accountId: account.id };
}

const ME = '{ me { scopes } }';

/** Sends requests until one is refused (at most `max`); returns the answers. */
async function exhaust(max: number, send: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < max; i++) {
    const a = await send();
    answers.push(a);
    if (a.status === 429) break;
  }
  return answers;
}

describe('RateLimit headers on normal answers', () => {
  it('an anonymous answer names the address bucket, its quota and what is left', async () => {
    const r = await call('{ __typename }', { address: freshAddress() });
    expect(r.status).toBe(200);
    expect(r.headers.get('ratelimit-policy')).toBe('"address";q=4;w=60, "cost";q=100000;w=100');
    // `{ __typename }` costs 0 (a leaf; operation-limits.ts): the request bucket is charged, the cost budget is not.
    expect(r.headers.get('ratelimit')).toMatch(/^"address";r=3;t=\d+, "cost";r=100000;t=\d+$/);
    expect(r.headers.get('retry-after')).toBeNull();
  });

  it("a member's answer names its account, member and cost buckets", async () => {
    const { token } = await loggedIn();
    const r = await call(ME, { token });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const policy = r.headers.get('ratelimit-policy') ?? '';
    expect(policy).toContain('"account";q=5;w=60');
    expect(policy).toContain('"member";q=8;w=60');
    expect(policy).toContain('"cost";q=100000;w=100');
    expect(r.headers.get('ratelimit')).toMatch(/"account";r=4;t=\d+, "member";r=7;t=\d+, "cost";r=99999;t=\d+/);
  });
});

describe('over the limit', () => {
  it('answers 429 with RATE_LIMITED in both languages, Retry-After and the headers', async () => {
    const address = freshAddress();
    const answers = await exhaust(10, () => call('{ __typename }', { address }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 429]);
    const refused = answers.at(-1)!;
    const error = refused.body.errors?.[0];
    expect(error?.extensions?.code).toBe('RATE_LIMITED');
    expect(error?.extensions?.limit).toBe('address');
    expect(error?.message).toMatch(/Too many requests/);
    expect(error?.message).toMatch(/リクエストが多すぎます/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    // 4 per 60 s: one token back in 15 s.
    expect(retryAfter).toBeGreaterThanOrEqual(14);
    expect(retryAfter).toBeLessThanOrEqual(15);
    expect(error?.extensions?.retryAfter).toBe(retryAfter);
    expect(refused.headers.get('ratelimit')).toMatch(/^"address";r=0;t=\d+$/);
    expect(refused.body.data).toBeUndefined();
  });

  it('a session-less flood is limited per address: another address is not slowed', async () => {
    const flooder = freshAddress();
    await exhaust(10, () => call('{ __typename }', { address: flooder }));
    expect((await call('{ __typename }', { address: flooder })).status).toBe(429);
    const other = await call('{ __typename }', { address: freshAddress() });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit')).toMatch(/^"address";r=3;/);
  });

  it('IPv6 callers are counted per /64: rotating addresses inside it does not escape the limit', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await call('{ __typename }', { address: `2001:db8:77:1::${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect((await call('{ __typename }', { address: '2001:db8:77:2::1' })).status).toBe(200);
  });

  it('a bad session token is charged to its address (no free hammering of the session lookup)', async () => {
    const address = freshAddress();
    const statuses = (await exhaust(10, () => call(ME, { address, token: 'x'.repeat(43) }))).map((a) => a.status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });
});

describe('one caller does not slow another', () => {
  it("member A exhausting its account bucket leaves member B's buckets untouched", async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const answers = await exhaust(20, () => call(ME, { token: a.token }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers.at(-1)!.body.errors?.[0]?.extensions?.limit).toBe('account');
    // A keeps hammering: still refused, and none of it reaches B.
    for (let i = 0; i < 5; i++) expect((await call(ME, { token: a.token })).status).toBe(429);
    const rb = await call(ME, { token: b.token });
    expect(rb.status).toBe(200);
    expect(rb.headers.get('ratelimit')).toMatch(/"account";r=4;t=\d+, "member";r=7;/);
  });

  it("an account refused by its own bucket does not drain its member's shared bucket", async () => {
    const first = await loggedIn();
    const second = await stack.seed.account(first.memberId);
    const login = await call('mutation L($input: LoginInput!) { login(input: $input) { token } }', { address: freshAddress(), variables: { input: { loginId: second.loginId, password: second.password } } });
    const secondToken = (login.body.data?.login as { token: string }).token;
    // 5 accepted, then 10 refused by the account bucket: the member bucket (8) paid only for the 5.
    await exhaust(5, () => call(ME, { token: first.token }));
    for (let i = 0; i < 10; i++) expect((await call(ME, { token: first.token })).status).toBe(429);
    const r = await call(ME, { token: secondToken });
    expect(r.status).toBe(200);
    expect(r.headers.get('ratelimit')).toMatch(/"account";r=4;t=\d+, "member";r=2;/);
  });
});

describe('gateway replicas share the buckets', () => {
  it('requests spread over two gateways on the same database draw from one bucket', async () => {
    const other = await stack.startGateway();
    const { token } = await loggedIn();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(ME, { token, url: i % 2 ? other.url : stack.gatewayUrl })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await call(ME, { token })).status).toBe(429);
    expect((await call(ME, { token, url: other.url })).status).toBe(429);
  });
});

describe('cost budget per account', () => {
  it('refuses an operation over the budget with RATE_LIMITED, the cost and HTTP 429, before any subgraph is called', async () => {
    // A replica with a tiny budget (the cost analysis is not in yet: every operation costs 1).
    const tight = await stack.startGateway({ PORTAL_RATE_LIMITS: 'account=100/60,member=100/60,address=100/60,cost=3/60' });
    const { token } = await loggedIn();
    const answers = await exhaust(10, () => call(ME, { token, url: tight.url }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    const refused = answers.at(-1)!;
    const error = refused.body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost', cost: 1 });
    expect(error?.message).toMatch(/リクエストが多すぎます/);
    // 3 per 60 s: one unit back in 20 s (less whatever refilled while the test ran).
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(15);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(error?.extensions?.retryAfter).toBe(retryAfter);
    expect(refused.headers.get('ratelimit')).toMatch(/"cost";r=0;/);
    expect(refused.body.data ?? null).toBeNull();

    const before = stack.sqlStatements('tenancy');
    expect((await call(ME, { token, url: tight.url })).status).toBe(429);
    expect(stack.sqlStatements('tenancy')).toBe(before);
  });
});
