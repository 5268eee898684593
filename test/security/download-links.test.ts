import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { invoices } from '../../subgraphs/billing/test/seed.ts';

/**
 * Download links (issue 10 item 14), through the gateway over HTTP: a link stays a bearer
 * capability for its 5 minutes, but a session presented with it must belong to the member the link
 * was issued to, and every use lands in that member's audit trail. The links here are the
 * audit-trail export (tenancy, recorded directly) and an invoice PDF (billing, relayed through its
 * audit outbox and the event bus like billing's other entries).
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['billing'] });
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

const TRAIL = `query { auditEvents(filter: { actions: [FILE_DOWNLOADED, FILE_DOWNLOAD_REFUSED] }, first: 20) {
  totalCount edges { node { action actorType accountId loginId clientIp targetType targetLabel details } } } }`;
interface TrailNode { action: string; actorType: string; accountId: string | null; loginId: string | null; clientIp: string | null; targetType: string | null; targetLabel: string | null; details: string }

/** The member's download entries as its administrator reads them; written just after each answer, so wait for `count`. */
async function downloadTrail(token: string, count: number): Promise<TrailNode[]> {
  for (let attempt = 0; ; attempt++) {
    const r = await stack.gql<{ auditEvents: { totalCount: number; edges: { node: TrailNode }[] } }>(TRAIL, {}, { token });
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data!.auditEvents.edges.map((e) => e.node);
    if (nodes.length >= count || attempt >= 50) return nodes;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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

    // Every use is in A's trail: who, which file, from where, accepted or refused. (Entries are
    // written just after each answer, so their order among close requests is not asserted.)
    const trail = await downloadTrail(a.token, 4);
    expect(trail.map((n) => `${n.action} ${n.actorType} ${n.loginId}`).sort()).toEqual(
      [`FILE_DOWNLOADED ACCOUNT ${a.account.loginId}`, `FILE_DOWNLOADED ACCOUNT ${colleague.loginId}`, 'FILE_DOWNLOADED ANONYMOUS null', 'FILE_DOWNLOAD_REFUSED ANONYMOUS null'].sort(),
    );
    expect(trail.every((n) => n.targetType === 'File' && /^audit-trail-\d{8}\.csv$/.test(n.targetLabel ?? '') && n.clientIp === '127.0.0.1')).toBe(true);
    // The refusal names the rule but not B's account: that is B's business (the log line has it).
    const refused = trail.find((n) => n.action === 'FILE_DOWNLOAD_REFUSED')!;
    expect(JSON.parse(refused.details)).toEqual({ status: 403, code: 'LINK_NOT_YOURS', otherMembersSession: true });
    expect(JSON.stringify(trail)).not.toContain(b.account.loginId);
    expect(await downloadTrail(b.token, 0)).toEqual([]);
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

describe("billing's links go through billing's audit outbox into the member's trail", () => {
  it('records the owner, a bearer and a refused foreign session, relayed to tenancy', async () => {
    const member = await stack.seed.member();
    const [room] = await stack.seed.rooms(member.id, 1);
    const inv = await invoices(stack, member).invoice({ billingMonth: '2026-05', issueDate: '2026-05-08' }).lines([room!], { nextMonthUsageFee: 1000 }).save();
    const clerk = await stack.seed.account(member.id, { billing: 'VIEW' });
    const clerkToken = await stack.login(clerk.loginId, clerk.password);
    const printed = await stack.gql<{ printQualifiedInvoice: { url: string } }>('mutation($id: ID!) { printQualifiedInvoice(input: { invoiceId: $id }) { url } }', { id: inv.id }, { token: clerkToken });
    expect(printed.body.errors).toBeUndefined();
    const url = printed.body.data!.printQualifiedInvoice.url;
    const stranger = await admin();

    expect((await download(url, stranger.token)).status).toBe(403);
    expect((await download(url, clerkToken)).status).toBe(200);
    expect((await download(url)).status).toBe(200);

    const outbox = async () =>
      stack.sql<{ action: string; actor_type: string; account_id: string | null }>("select action, actor_type, account_id from billing.audit_outbox where member_id = $1 and action like 'FILE_%'", [member.id]);
    for (let i = 0; i < 50 && (await outbox()).length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await outbox()).map((r) => `${r.action} ${r.actor_type} ${r.account_id}`).sort()).toEqual(
      [`FILE_DOWNLOADED ACCOUNT ${clerk.id}`, 'FILE_DOWNLOADED ANONYMOUS null', 'FILE_DOWNLOAD_REFUSED ANONYMOUS null'].sort(),
    );

    // The relay (every minute in production) and tenancy's consumer, run now.
    const jobs = stack.subgraphs.billing!.services.jobs!;
    await jobs.send('billing-audit-relay', {});
    expect((await jobs.runDue('billing-audit-relay')).failed).toEqual([]);
    const memberAdmin = await stack.seed.account(member.id, { admin: true });
    const adminToken = await stack.login(memberAdmin.loginId, memberAdmin.password);
    let trail: TrailNode[] = [];
    for (let i = 0; i < 50 && trail.length < 3; i++) {
      await stack.subgraphs.tenancy!.services.events!.runDue('tenancy.audit-events');
      trail = await downloadTrail(adminToken, 0);
    }
    expect(trail.map((n) => `${n.action} ${n.actorType} ${n.loginId}`).sort()).toEqual(
      [`FILE_DOWNLOADED ACCOUNT ${clerk.loginId}`, 'FILE_DOWNLOADED ANONYMOUS null', 'FILE_DOWNLOAD_REFUSED ANONYMOUS null'].sort(),
    );
    expect(trail.every((n) => n.targetType === 'File' && n.targetLabel === '適格請求書_2026-05.pdf')).toBe(true);
    expect(JSON.stringify(trail)).not.toContain(stranger.account.loginId);
  }, 60_000);
});
