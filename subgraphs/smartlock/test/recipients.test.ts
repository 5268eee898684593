import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { memberWithAccount } from './seed.ts';
import { VERIFICATION_STATUSES, VERIFICATION_VALIDITY_MS, type VerificationStatus } from '../src/modules/recipient/verification-status.rule.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'smartlock'] });
});
afterAll(async () => {
  await stack?.stop();
});

interface Page {
  smartlockRecipients: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { recipientCode: string; verificationStatus: VerificationStatus; verificationExpiresAt: string | null } }[];
  };
}
const SEARCH = `query($f: SmartlockRecipientFilter, $first: Int, $after: String) {
  smartlockRecipients(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { recipientCode verificationStatus verificationExpiresAt } }
  }
}`;
const codes = (p: Page | null | undefined) => p!.smartlockRecipients.edges.map((e) => e.node.recipientCode);

describe('smartlockRecipients search (Smartlock受取者情報管理)', () => {
  it('empty search returns all, by recipient ID; ID exact (case-insensitive) or partial, name in kanji or kana, e-mail', async () => {
    const m = await memberWithAccount(stack, { smartlock: 'VIEW' });
    await m.smartlock.recipient({ recipientCode: 'Test_uketori_123', nameKanji: '受取 太郎', nameKana: 'ウケトリ タロウ', email: 'taro@example.jp' });
    await m.smartlock.recipient({ recipientCode: 'Jinji-0123', nameKanji: '人事部スマートロック受取者', nameKana: 'ジンジブ', email: 'jinji@corp.example.jp' });
    await m.smartlock.recipient({ recipientCode: '19960425', nameKanji: '受取 花子', nameKana: 'ウケトリ ハナコ', email: 'hanako@example.jp' });
    await m.smartlock.recipient({ recipientCode: 'a_b&c', nameKanji: '総務部', nameKana: 'ソウムブ', email: 'soumu@corp.example.jp' });
    const search = async (f: unknown) => {
      const r = await stack.gql<Page>(SEARCH, { f }, { token: m.token });
      expect(r.body.errors).toBeUndefined();
      return r.body.data;
    };

    const all = await search(null);
    expect(all!.smartlockRecipients.totalCount).toBe(4);
    expect(codes(all)).toEqual([...codes(all)].sort());
    expect(codes(await search({}))).toEqual(codes(all));
    expect(codes(await search({ recipientCode: '', name: '  ', email: '' }))).toEqual(codes(all));

    expect(codes(await search({ recipientCode: 'test_uketori_123', exactMatch: true }))).toEqual(['Test_uketori_123']);
    expect(codes(await search({ recipientCode: 'Test_uketori', exactMatch: true }))).toEqual([]);
    expect(codes(await search({ recipientCode: '0123' })).sort()).toEqual(['Jinji-0123']);
    expect(codes(await search({ recipientCode: '123' })).sort()).toEqual(['Jinji-0123', 'Test_uketori_123'].sort());
    // LIKE wildcards in the input are literal characters.
    expect(codes(await search({ recipientCode: '%' }))).toEqual([]);
    expect(codes(await search({ recipientCode: '_' })).sort()).toEqual(['Test_uketori_123', 'a_b&c'].sort());

    expect(codes(await search({ name: '受取' })).sort()).toEqual(['19960425', 'Jinji-0123', 'Test_uketori_123'].sort());
    expect(codes(await search({ name: 'ウケトリ' })).sort()).toEqual(['19960425', 'Test_uketori_123'].sort());
    expect(codes(await search({ email: 'CORP.example' })).sort()).toEqual(['Jinji-0123', 'a_b&c'].sort());
    expect(codes(await search({ name: '受取', email: 'corp' }))).toEqual(['Jinji-0123']);
  });

  it('pages by cursor without gaps or repeats', async () => {
    const m = await memberWithAccount(stack, { smartlock: 'USE' });
    for (let i = 0; i < 5; i++) await m.smartlock.recipient({ recipientCode: `P-${i}` });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const r: { body: { data?: Page | null } } = await stack.gql<Page>(SEARCH, { first: 2, after }, { token: m.token });
      const p: Page['smartlockRecipients'] = r.body.data!.smartlockRecipients;
      expect(p.totalCount).toBe(5);
      seen.push(...p.edges.map((e) => e.node.recipientCode));
      expect(p.pageInfo.hasNextPage).toBe(page < 2);
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(['P-0', 'P-1', 'P-2', 'P-3', 'P-4']);

    const bad = await stack.gql(SEARCH, { after: 'nonsense' }, { token: m.token });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await stack.gql(SEARCH, { first: 201 }, { token: m.token });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('verification status at the 14-day and 5-attempt edges: the field and the filter agree with the rule', async () => {
    const m = await memberWithAccount(stack, { smartlock: 'VIEW' });
    const now = new Date('2026-06-01T03:00:00.000Z');
    const ms = (x: number) => new Date(now.getTime() - x);
    const expected: Record<string, VerificationStatus> = {};
    const add = async (code: string, status: VerificationStatus, o: Parameters<typeof m.smartlock.recipient>[0]) => {
      await m.smartlock.recipient({ recipientCode: code, ...o });
      expected[code] = status;
    };
    await add('valid-1ms-left', 'UNVERIFIED', { status: 'UNVERIFIED', sentAt: ms(VERIFICATION_VALIDITY_MS - 1) });
    await add('expired-exactly-14d', 'EXPIRED', { status: 'UNVERIFIED', sentAt: ms(VERIFICATION_VALIDITY_MS) });
    await add('expired-stored', 'EXPIRED', { status: 'EXPIRED', sentAt: ms(1000) });
    await add('not-sent-yet', 'UNVERIFIED', { status: 'UNVERIFIED', sentAt: null });
    await add('four-wrong', 'UNVERIFIED', { status: 'UNVERIFIED', sentAt: ms(1000), failedAttempts: 4 });
    await add('four-wrong-expired', 'EXPIRED', { status: 'UNVERIFIED', sentAt: ms(VERIFICATION_VALIDITY_MS), failedAttempts: 4 });
    await add('five-wrong', 'FAILED', { status: 'UNVERIFIED', sentAt: ms(1000), failedAttempts: 5 });
    await add('failed-then-expired', 'FAILED', { status: 'FAILED', sentAt: ms(30 * 24 * 3600 * 1000), failedAttempts: 5 });
    await add('verified-long-ago', 'VERIFIED', { status: 'VERIFIED', sentAt: ms(60 * 24 * 3600 * 1000) });

    stack.setClock(now);
    try {
      const all = await stack.gql<Page>(SEARCH, { first: 50 }, { token: m.token });
      expect(all.body.errors).toBeUndefined();
      const actual = Object.fromEntries(all.body.data!.smartlockRecipients.edges.map((e) => [e.node.recipientCode, e.node.verificationStatus]));
      expect(actual).toEqual(expected);
      const link = all.body.data!.smartlockRecipients.edges.find((e) => e.node.recipientCode === 'expired-exactly-14d')!.node.verificationExpiresAt;
      expect(link).toBe(now.toISOString());

      for (const status of VERIFICATION_STATUSES) {
        const r = await stack.gql<Page>(SEARCH, { f: { verificationStatus: status } }, { token: m.token });
        expect(r.body.errors).toBeUndefined();
        const want = Object.keys(expected).filter((c) => expected[c] === status).sort();
        expect({ status, codes: codes(r.body.data).sort() }).toEqual({ status, codes: want });
        expect(r.body.data!.smartlockRecipients.totalCount).toBe(want.length);
      }

      // One millisecond earlier the link sent exactly 14 days before `now` is still valid.
      stack.setClock(new Date(now.getTime() - 1));
      const earlier = await stack.gql<Page>(SEARCH, { f: { recipientCode: 'expired-exactly-14d', exactMatch: true } }, { token: m.token });
      expect(earlier.body.data!.smartlockRecipients.edges[0]!.node.verificationStatus).toBe('UNVERIFIED');
      const earlierFilter = await stack.gql<Page>(SEARCH, { f: { verificationStatus: 'UNVERIFIED' } }, { token: m.token });
      expect(codes(earlierFilter.body.data)).toContain('expired-exactly-14d');
    } finally {
      stack.setClock(null);
    }
  });
});

describe('batching (N+1)', () => {
  it('Room.residents and Room.smartlockRecipient cost the same SQL statements for 1 room and for 100 rooms', async () => {
    const m = await memberWithAccount(stack, { residents: 'USE', smartlock: 'VIEW' });
    const rooms = await stack.seed.rooms(m.member.id, 100);
    const ids = rooms.map((r) => r.id);
    await m.smartlock.residentsFor(ids);
    const a = await m.smartlock.recipient({ recipientCode: 'Batch-A' });
    const b = await m.smartlock.recipient({ recipientCode: 'Batch-B' });
    await m.smartlock.assign(ids.slice(0, 50), a.id);
    await m.smartlock.assign(ids.slice(50), b.id);

    const q = `query($first: Int) { rooms(first: $first) { edges { node { id residents { name slot } smartlockRecipient { recipientCode verificationStatus } } } } }`;
    const measure = async (first: number) => {
      const before = stack.sqlStatements('smartlock');
      const r = await stack.gql<{ rooms: { edges: { node: { residents: unknown[]; smartlockRecipient: { recipientCode: string } | null } }[] } }>(q, { first }, { token: m.token });
      expect(r.body.errors).toBeUndefined();
      const edges = r.body.data!.rooms.edges;
      expect(edges).toHaveLength(first);
      expect(edges.every((e) => e.node.residents.length === 1 && e.node.smartlockRecipient !== null)).toBe(true);
      return stack.sqlStatements('smartlock') - before;
    };
    const one = await measure(1);
    const hundred = await measure(100);
    console.info(`smartlock SQL statements: 1 room → ${one}, 100 rooms → ${hundred}`);
    expect(one).toBeGreaterThan(0);
    expect(hundred).toBe(one);

    // The reverse direction too: recipients → their rooms, one statement for all recipients.
    const before = stack.sqlStatements('smartlock');
    const list = await stack.gql<{ smartlockRecipients: { edges: { node: { rooms: { id: string }[] } }[] } }>(
      `{ smartlockRecipients { edges { node { recipientCode rooms { id } } } } }`, {}, { token: m.token });
    expect(list.body.errors).toBeUndefined();
    expect(list.body.data!.smartlockRecipients.edges.map((e) => e.node.rooms.length)).toEqual([50, 50]);
    expect(stack.sqlStatements('smartlock') - before).toBe(3);
  });
});
