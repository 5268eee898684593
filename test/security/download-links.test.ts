import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

/**
 * Download links (issue 10 item 14), through the gateway over HTTP: a link stays a bearer
 * capability for its 5 minutes, but a session presented with it must belong to the member the link
 * was issued to. The link here is the audit-trail export (tenancy), issued to an administrator.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: [] });
});
afterAll(async () => {
  stack?.setClock(null);
  await stack?.stop();
});

const EXPORT = 'mutation { exportAuditEvents { url userErrors { code } } }';

async function admin() {
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id, { admin: true });
  return { member, account, token: await stack.login(account.loginId, account.password) };
}

async function download(url: string, token?: string) {
  const res = await fetch(new URL(url, stack.gatewayUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('a download link is bound to the member it was issued to', () => {
  it("is refused with another member's session (no content), and accepted with the owner's, a colleague's and no session", async () => {
    const a = await admin();
    const b = await admin();
    const issued = await stack.gql<{ exportAuditEvents: { url: string } }>(EXPORT, {}, { token: a.token });
    expect(issued.body.errors).toBeUndefined();
    const url = issued.body.data!.exportAuditEvents.url;

    const stolen = await download(url, b.token);
    expect(stolen.status).toBe(403);
    expect(stolen.type).toContain('application/json');
    expect(stolen.bytes.subarray(0, 3).equals(BOM)).toBe(false);
    expect(stolen.bytes.toString('utf8')).not.toContain(a.account.loginId);
    const refusal = JSON.parse(stolen.bytes.toString('utf8')) as { code: string; message: { ja: string; en: string } };
    expect(refusal).toMatchObject({ code: 'LINK_NOT_YOURS', message: { ja: expect.stringMatching(/別の法人会員/), en: expect.stringMatching(/another member/) } });

    // Positive controls: the same link, the same minute.
    const own = await download(url, a.token);
    expect(own.status).toBe(200);
    expect(own.type).toContain('text/csv');
    expect(own.bytes.subarray(0, 3).equals(BOM)).toBe(true);
    expect(own.bytes.toString('utf8')).toContain(a.account.loginId);

    const colleague = await stack.seed.account(a.member.id);
    const colleagueToken = await stack.login(colleague.loginId, colleague.password);
    expect((await download(url, colleagueToken)).status).toBe(200);

    const bearer = await download(url);
    expect(bearer.status).toBe(200);
    expect(bearer.bytes.equals(own.bytes)).toBe(true);
  });

  it('is refused with a session that has ended, and answers with the RateLimit headers like any call', async () => {
    const a = await admin();
    const url = (await stack.gql<{ exportAuditEvents: { url: string } }>(EXPORT, {}, { token: a.token })).body.data!.exportAuditEvents.url;
    const logout = await stack.gql('mutation { logout { __typename } }', {}, { token: a.token });
    expect(logout.body.errors).toBeUndefined();
    const ended = await fetch(new URL(url, stack.gatewayUrl), { headers: { authorization: `Bearer ${a.token}` } });
    expect(ended.status).toBe(401);
    expect(ended.headers.get('ratelimit-policy')).toContain('"address"');
    const none = await fetch(new URL(url, stack.gatewayUrl));
    expect(none.status).toBe(200);
    expect(none.headers.get('ratelimit')).toMatch(/"address";r=\d+/);
    await none.arrayBuffer();
  });

  it('stays a bearer capability for 5 minutes only, with or without the owner', async () => {
    const a = await admin();
    const start = new Date();
    stack.setClock(start);
    try {
      const url = (await stack.gql<{ exportAuditEvents: { url: string } }>(EXPORT, {}, { token: a.token })).body.data!.exportAuditEvents.url;
      stack.setClock(new Date(start.getTime() + 299_000));
      expect((await download(url)).status).toBe(200);
      stack.setClock(new Date(start.getTime() + 300_000));
      expect((await download(url)).status).toBe(410);
      expect((await download(url, a.token)).status).toBe(410);
    } finally {
      stack.setClock(null);
    }
  });
});
