import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { codesOf, memberWithAccount } from './seed.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'smartlock'] });
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  stack.setClock(null);
});

const SEARCH = `query($filter: ResidentSearchFilter, $first: Int, $after: String) {
  residentSearch(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { room { id apNo roomNumber propertyName } resident1 { name } resident2 { name } smartlockRecipient { recipientCode nameKanji } moveInDate lastUpdatedAt hasSmartlock } }
  }
}`;
// What a smartlock-VIEW account may select: no residents, no last update.
const SEARCH_RECIPIENTS = `query($filter: ResidentSearchFilter, $first: Int) {
  residentSearch(filter: $filter, first: $first) { totalCount edges { node { room { id roomNumber } smartlockRecipient { recipientCode } moveInDate hasSmartlock } } }
}`;
// The same, as the subgraph sees it (room fields live in tenancy).
const SUB_SEARCH = SEARCH.replace('room { id apNo roomNumber propertyName }', 'room { id }');
const SUB_SEARCH_RECIPIENTS = SEARCH_RECIPIENTS.replace('room { id roomNumber }', 'room { id }');

interface Node {
  room: { id: string; apNo?: string; roomNumber?: string; propertyName?: string };
  resident1?: { name: string } | null;
  resident2?: { name: string } | null;
  smartlockRecipient: { recipientCode: string; nameKanji?: string } | null;
  moveInDate: string | null;
  lastUpdatedAt?: string | null;
  hasSmartlock: boolean;
}
type SearchData = { residentSearch: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] } };

/**
 * A member with five rooms in two properties and two areas:
 *   AP-A (レオパレス桜ヶ丘ヒルズ, 東京都 中野区): 101 (山田 太郎 + 山田 花子), 102 (佐藤 次郎), 103 (no resident, 総務部 holds the key)
 *   AP-B (クレイノ若葉台コート, 神奈川県 藤沢市): 101 (鈴木 一郎, no smartlock), 201 (no resident, no smartlock)
 */
async function fiveRooms(permissions: Parameters<Stack['seed']['account']>[1]) {
  const m = await memberWithAccount(stack, permissions);
  const suffix = m.member.memberNumber.slice(-5);
  const apA = `A${suffix}`;
  const apB = `B${suffix}`;
  const a = { apNo: apA, propertyName: 'レオパレス桜ヶ丘ヒルズ', prefecture: '東京都', city: '中野区' };
  const b = { apNo: apB, propertyName: 'クレイノ若葉台コート', prefecture: '神奈川県', city: '藤沢市', hasSmartlock: false };
  const a101 = await stack.seed.room(m.member.id, { ...a, roomNumber: '101', moveInDate: '2025-04-01' });
  const a102 = await stack.seed.room(m.member.id, { ...a, roomNumber: '102' });
  const a103 = await stack.seed.room(m.member.id, { ...a, roomNumber: '103' });
  const b101 = await stack.seed.room(m.member.id, { ...b, roomNumber: '101' });
  const b201 = await stack.seed.room(m.member.id, { ...b, roomNumber: '201' });
  await m.smartlock.resident(a101.id, { slot: 1, name: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' });
  await m.smartlock.resident(a101.id, { slot: 2, name: '山田 花子', kana: 'ﾔﾏﾀﾞ ﾊﾅｺ' });
  await m.smartlock.resident(a102.id, { slot: 1, name: '佐藤 次郎', kana: 'ｻﾄｳ ｼﾞﾛｳ' });
  await m.smartlock.resident(b101.id, { slot: 1, name: '鈴木 一郎', kana: 'ｽｽﾞｷ ｲﾁﾛｳ' });
  const soumu = await m.smartlock.recipient({ recipientCode: `soumu-${suffix}`, nameKanji: '総務部', nameKana: 'ｿｳﾑﾌﾞ' });
  await m.smartlock.assign(a103.id, soumu.id);
  return { ...m, apA, apB, rooms: { a101, a102, a103, b101, b201 }, soumu };
}

async function search(token: string, variables: Record<string, unknown>, query = SEARCH) {
  const r = await stack.gql<SearchData>(query, variables, { token });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.residentSearch;
}
const labels = (page: SearchData['residentSearch']) => page.edges.map((e) => `${e.node.room.apNo?.[0]}${e.node.room.roomNumber}`);

describe('residentSearch permissions', () => {
  it('residents NONE and smartlock NONE: refused at the gateway before any smartlock SQL, and by the subgraph itself', async () => {
    const m = await fiveRooms({ residents: 'NONE', smartlock: 'NONE' });
    for (const query of [SEARCH, SEARCH_RECIPIENTS, '{ residentSearch { totalCount } }']) {
      const before = stack.sqlStatements('smartlock');
      const r = await stack.gql(query, {}, { token: m.token });
      expect(codesOf(r.body.errors)).toContain('FORBIDDEN');
      expect(r.body.data ?? null).toBeNull();
      expect(stack.sqlStatements('smartlock')).toBe(before);
    }
    const direct = await stack.callSubgraph('smartlock', '{ residentSearch { totalCount } }', {}, { accountId: m.account.id });
    expect(codesOf(direct.body.errors)).toEqual(['FORBIDDEN']);
    expect(direct.body.data ?? null).toBeNull();
  });

  it('anonymous: UNAUTHENTICATED at the gateway and at the subgraph; no identity at all: 401', async () => {
    expect(codesOf((await stack.gql(SEARCH)).body.errors)).toContain('UNAUTHENTICATED');
    expect(codesOf((await stack.callSubgraph('smartlock', SUB_SEARCH)).body.errors)).toContain('UNAUTHENTICATED');
    expect((await stack.callSubgraph('smartlock', SUB_SEARCH, {}, { identity: false })).status).toBe(401);
  });

  it('smartlock VIEW without residents: sees rooms and recipients; residents, last update and resident conditions are refused (gateway and subgraph)', async () => {
    const m = await fiveRooms({ residents: 'NONE', smartlock: 'VIEW' });
    const page = await search(m.token, { filter: { recipientName: '総務' } }, SEARCH_RECIPIENTS);
    expect(page.edges.map((e) => [e.node.room.id, e.node.smartlockRecipient?.recipientCode])).toEqual([[m.rooms.a103.id, m.soumu.recipientCode]]);

    // Selecting residents: refused by the gateway before smartlock runs any SQL.
    const before = stack.sqlStatements('smartlock');
    const residents = await stack.gql(SEARCH, {}, { token: m.token });
    expect(codesOf(residents.body.errors)).toContain('FORBIDDEN');
    expect(JSON.stringify(residents.body)).not.toContain('山田');
    expect(stack.sqlStatements('smartlock')).toBe(before);
    const directResidents = await stack.callSubgraph<SearchData>('smartlock', SUB_SEARCH, {}, { accountId: m.account.id });
    expect(codesOf(directResidents.body.errors)).toContain('FORBIDDEN');
    expect(JSON.stringify(directResidents.body)).not.toContain('山田');

    // Conditions on residents: refused by the subgraph (the gateway passes the refusal through), nothing returned.
    for (const filter of [{ residentName: '山田' }, { registrationStatus: 'UNREGISTERED' }]) {
      const viaGateway = await stack.gql(SEARCH_RECIPIENTS, { filter }, { token: m.token });
      expect(codesOf(viaGateway.body.errors)).toEqual(['FORBIDDEN']);
      expect(viaGateway.body.data ?? null).toBeNull();
      const direct = await stack.callSubgraph('smartlock', SUB_SEARCH_RECIPIENTS, { filter }, { accountId: m.account.id });
      expect(codesOf(direct.body.errors)).toEqual(['FORBIDDEN']);
      expect((direct.body.errors?.[0]?.extensions?.forbidden as { path: string[] }[])[0]?.path).toEqual(['residentSearch', 'filter', Object.keys(filter)[0]]);
    }
  });

  it.each([
    ['residents USE', { residents: 'USE' as const, smartlock: 'NONE' as const }],
    ['administrator', { admin: true }],
  ])('%s: sees residents and recipients and may filter by residents', async (_label, permissions) => {
    const m = await fiveRooms(permissions);
    const page = await search(m.token, { filter: { residentName: '山田' } });
    expect(page.edges).toHaveLength(1);
    expect(page.edges[0]?.node).toMatchObject({ room: { id: m.rooms.a101.id, roomNumber: '101', propertyName: 'レオパレス桜ヶ丘ヒルズ' }, resident1: { name: '山田 太郎' }, resident2: { name: '山田 花子' } });
    const direct = await stack.callSubgraph<SearchData>('smartlock', SUB_SEARCH, { filter: { registrationStatus: 'UNREGISTERED' } }, { accountId: m.account.id });
    expect(direct.body.errors).toBeUndefined();
    expect(direct.body.data?.residentSearch.edges.map((e) => e.node.room.id).sort()).toEqual([m.rooms.a103.id, m.rooms.b201.id].sort());
  });
});

describe('residentSearch filters and paging', () => {
  it('empty filter = all rooms, by APNo and room number, with residents, recipient, move-in date, last update and smartlock', async () => {
    const m = await fiveRooms({ residents: 'USE', smartlock: 'VIEW' });
    const page = await search(m.token, {});
    expect(page.totalCount).toBe(5);
    expect(labels(page)).toEqual(['A101', 'A102', 'A103', 'B101', 'B201']);
    const [a101, , a103, b101, b201] = page.edges.map((e) => e.node);
    expect(a101).toMatchObject({ resident1: { name: '山田 太郎' }, resident2: { name: '山田 花子' }, smartlockRecipient: null, moveInDate: '2025-04-01', hasSmartlock: true });
    expect(a101?.lastUpdatedAt).toEqual(expect.any(String));
    expect(a103).toMatchObject({ resident1: null, resident2: null, smartlockRecipient: { recipientCode: m.soumu.recipientCode, nameKanji: '総務部' }, hasSmartlock: true });
    expect(a103?.lastUpdatedAt).toEqual(expect.any(String));
    expect(b101).toMatchObject({ resident1: { name: '鈴木 一郎' }, hasSmartlock: false });
    expect(b201).toMatchObject({ resident1: null, smartlockRecipient: null, lastUpdatedAt: null });
  });

  it('each condition alone and combined (AND)', async () => {
    const m = await fiveRooms({ residents: 'USE', smartlock: 'VIEW' });
    const cases: [Record<string, unknown>, string[]][] = [
      [{ apNo: m.apA }, ['A101', 'A102', 'A103']],
      [{ roomNumber: '101' }, ['A101', 'B101']],
      [{ propertyName: '若葉台' }, ['B101', 'B201']],
      [{ propertyName: 'れおぱれす' }, []],
      [{ propertyName: '%' }, []],
      [{ memberNumber: m.member.memberNumber }, ['A101', 'A102', 'A103', 'B101', 'B201']],
      [{ memberNumber: '99999999' }, []],
      [{ prefecture: '神奈川県' }, ['B101', 'B201']],
      [{ prefecture: '東京都', city: '中野区' }, ['A101', 'A102', 'A103']],
      [{ prefecture: '東京都', city: '藤沢市' }, []],
      [{ residentName: '花子' }, ['A101']],
      [{ residentName: 'ｻﾄｳ' }, ['A102']],
      [{ recipientName: 'ｿｳﾑ' }, ['A103']],
      [{ registrationStatus: 'REGISTERED' }, ['A101', 'A102', 'B101']],
      [{ registrationStatus: 'UNREGISTERED' }, ['A103', 'B201']],
      [{ hasSmartlock: false }, ['B101', 'B201']],
      [{ hasSmartlock: true, registrationStatus: 'UNREGISTERED' }, ['A103']],
      [{ prefecture: '東京都', city: '中野区', residentName: '山田' }, ['A101']],
      [{ apNo: '  ', residentName: '' }, ['A101', 'A102', 'A103', 'B101', 'B201']],
    ];
    for (const [filter, expected] of cases) {
      const page = await search(m.token, { filter });
      expect([filter, labels(page)]).toEqual([filter, expected]);
      expect(page.totalCount).toBe(expected.length);
    }
  });

  it('pages with a cursor, and refuses a bad page size or cursor', async () => {
    const m = await fiveRooms({ residents: 'USE' });
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page: SearchData['residentSearch'] = await search(m.token, { first: 2, after });
      seen.push(...labels(page));
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasNextPage).toBe(i < 2);
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['A101', 'A102', 'A103', 'B101', 'B201']);
    for (const variables of [{ first: 0 }, { first: 201 }, { after: 'not-a-cursor' }]) {
      const r = await stack.gql(SEARCH, variables, { token: m.token });
      expect(codesOf(r.body.errors)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('residentSearch member isolation', () => {
  it('never lists another member\'s rooms, residents or recipients, whatever the filter', async () => {
    const a = await fiveRooms({ residents: 'USE', smartlock: 'VIEW' });
    const b = await fiveRooms({ residents: 'USE', smartlock: 'VIEW' });
    const mine = await search(a.token, {});
    expect(mine.edges.map((e) => e.node.room.id).sort()).toEqual(Object.values(a.rooms).map((r) => r.id).sort());
    for (const filter of [{ apNo: b.apA }, { memberNumber: b.member.memberNumber }, { recipientName: b.soumu.recipientCode }]) {
      const page = await search(a.token, { filter });
      expect(page.totalCount).toBe(0);
    }
    const direct = await stack.callSubgraph<SearchData>('smartlock', SUB_SEARCH, {}, { accountId: a.account.id });
    const text = JSON.stringify(direct.body);
    for (const room of Object.values(b.rooms)) expect(text).not.toContain(room.id);
    expect(text).not.toContain(b.soumu.recipientCode);
  });
});

describe('residentSearch SQL', () => {
  it('runs as many smartlock SQL statements for 100 rooms as for 1, with every field and a resident filter', async () => {
    const m = await memberWithAccount(stack, { residents: 'USE', smartlock: 'VIEW' });
    const rooms = await stack.seed.rooms(m.member.id, 100, { propertyName: 'レオパレス統計ハイツ' });
    await m.smartlock.residentsFor(rooms.map((r) => r.id));
    const recipient = await m.smartlock.recipient({ nameKanji: '総務部' });
    await m.smartlock.assign(rooms.slice(0, 40).map((r) => r.id), recipient.id);
    const statementsFor = async (first: number) => {
      const before = stack.sqlStatements('smartlock');
      const page = await search(m.token, { first, filter: { propertyName: '統計', residentName: '入居' } });
      expect(page.edges).toHaveLength(first);
      return stack.sqlStatements('smartlock') - before;
    };
    const one = await statementsFor(1);
    const hundred = await statementsFor(100);
    console.info(`smartlock SQL statements: residentSearch(first: 1) → ${one}, residentSearch(first: 100) → ${hundred}`);
    expect(one).toBeGreaterThan(0);
    expect(hundred).toBe(one);
  }, 120_000);
});

describe('residentSearch and tenancy\'s room events', () => {
  it('a room written in tenancy appears after the relay and the consumer ran; a change and a removal follow', async () => {
    const m = await memberWithAccount(stack, { residents: 'USE' });
    const apNo = `E${m.member.memberNumber.slice(-6)}`;
    const { id: roomId } = await stack.seed.room(m.member.id, { apNo, propertyName: 'ミランダ東雲メゾン', roomNumber: '305', readModels: false });
    expect((await search(m.token, { filter: { apNo } })).totalCount).toBe(0);

    await relayAndConsume();
    let page = await search(m.token, { filter: { apNo } });
    expect(page.edges.map((e) => [e.node.room.id, e.node.room.propertyName, e.node.hasSmartlock])).toEqual([[roomId, 'ミランダ東雲メゾン', true]]);

    // tenancy changes the room and writes its event in one transaction; the search follows after the relay.
    await stack.sql(`update tenancy.room set has_smartlock = false where id = $1`, [roomId]);
    await stack.roomEvents.upsert([roomId]);
    await relayAndConsume();
    page = await search(m.token, { filter: { apNo, hasSmartlock: false } });
    expect(page.edges.map((e) => e.node.room.id)).toEqual([roomId]);

    await stack.roomEvents.remove([{ roomId, memberId: m.member.id }]);
    await relayAndConsume();
    expect((await search(m.token, { filter: { apNo } })).totalCount).toBe(0);
  }, 60_000);
});

/** Runs tenancy's outbox relay and smartlock's consumer (as their workers would) until both are drained. */
async function relayAndConsume() {
  await stack.roomEvents.relay();
  await vi.waitFor(async () => {
    const [pending] = await stack.sql<{ n: number }>('select count(*)::int as n from tenancy.event_outbox where published_at is null');
    expect(pending?.n).toBe(0);
    await stack.subgraphs.smartlock!.services.events!.runDue('smartlock.room-events');
    const [open] = await stack.sql<{ n: number }>(`select count(*)::int as n from portal_events.job where name = 'smartlock.room-events' and state in ('created', 'retry', 'active')`);
    expect(open?.n).toBe(0);
  }, { timeout: 20_000, interval: 200 });
}
