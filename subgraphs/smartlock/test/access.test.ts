import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { codesOf, memberWithAccount } from './seed.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy', 'smartlock'] });
});
afterAll(async () => {
  await stack?.stop();
});

const ROOM_RESIDENTS = `query($first: Int) { rooms(first: $first) { edges { node { id roomNumber residents { slot name kana phone email gender relation birthDate nationality room { id } } } } } }`;
const ROOM_RECIPIENT = `query($first: Int) { rooms(first: $first) { edges { node { id smartlockRecipient { recipientCode nameKanji verificationStatus } } } } }`;
const RECIPIENTS = `{ smartlockRecipients { totalCount edges { node { recipientCode nameKanji email verificationStatus rooms { id roomNumber } } } } }`;
const ENTITY_RESIDENTS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Room { id residents { name } } } }`;
const ENTITY_RECIPIENT = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Room { id smartlockRecipient { recipientCode } } } }`;
const SUB_RECIPIENTS = `{ smartlockRecipients { totalCount edges { node { recipientCode } } } }`;
const reps = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'Room', id })) });

/** A member with one occupied room, resident 1 and 2, and a verified recipient on it. */
async function occupiedMember(permissions: Parameters<Stack['seed']['account']>[1]) {
  const m = await memberWithAccount(stack, permissions);
  const room = await stack.seed.room(m.member.id, { roomNumber: '201' });
  await m.smartlock.resident(room.id, { slot: 1, name: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' });
  await m.smartlock.resident(room.id, { slot: 2, name: '山田 花子', kana: 'ﾔﾏﾀﾞ ﾊﾅｺ', gender: 'FEMALE', relation: 'OTHER', nationality: 'OTHER' });
  const recipient = await m.smartlock.recipient({ recipientCode: 'Soumu-01', nameKanji: '総務部' });
  await m.smartlock.assign(room.id, recipient.id);
  return { ...m, room, recipient };
}

describe('residents area (入居者変更)', () => {
  it('NONE: Room.residents is FORBIDDEN at the gateway and at the subgraph', async () => {
    const m = await occupiedMember({ residents: 'NONE', smartlock: 'NONE' });
    const before = stack.sqlStatements('smartlock');
    const viaGateway = await stack.gql(ROOM_RESIDENTS, { first: 5 }, { token: m.token });
    expect(codesOf(viaGateway.body.errors)).toContain('FORBIDDEN');
    expect(viaGateway.body.data ?? null).toBeNull();
    expect(stack.sqlStatements('smartlock')).toBe(before);

    const direct = await stack.callSubgraph('smartlock', ENTITY_RESIDENTS, reps(m.room.id), { accountId: m.account.id });
    expect(codesOf(direct.body.errors)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(direct.body.data ?? null)).not.toContain('山田');
  });

  it('NONE with smartlock NONE: Room.smartlockRecipient is FORBIDDEN at the gateway and at the subgraph', async () => {
    const m = await occupiedMember({ residents: 'NONE', smartlock: 'NONE' });
    const viaGateway = await stack.gql(ROOM_RECIPIENT, { first: 5 }, { token: m.token });
    expect(codesOf(viaGateway.body.errors)).toContain('FORBIDDEN');
    expect(viaGateway.body.data ?? null).toBeNull();

    const direct = await stack.callSubgraph('smartlock', ENTITY_RECIPIENT, reps(m.room.id), { accountId: m.account.id });
    expect(codesOf(direct.body.errors)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(direct.body.data ?? null)).not.toContain('Soumu-01');
  });

  it('USE: reads both residents and the room recipient, resident 1 first', async () => {
    const m = await occupiedMember({ residents: 'USE', smartlock: 'NONE' });
    const r = await stack.gql<{ rooms: { edges: { node: { id: string; residents: Record<string, unknown>[] } }[] } }>(ROOM_RESIDENTS, { first: 5 }, { token: m.token });
    expect(r.body.errors).toBeUndefined();
    const node = r.body.data!.rooms.edges[0]!.node;
    expect(node.residents).toEqual([
      { slot: 1, name: '山田 太郎', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', phone: '080-0000-0000', email: expect.stringContaining('@example.jp'), gender: 'MALE', relation: 'EMPLOYEE', birthDate: '2000-01-01', nationality: 'JAPAN', room: { id: m.room.id } },
      { slot: 2, name: '山田 花子', kana: 'ﾔﾏﾀﾞ ﾊﾅｺ', phone: '080-0000-0000', email: expect.stringContaining('@example.jp'), gender: 'FEMALE', relation: 'OTHER', birthDate: '2000-01-01', nationality: 'OTHER', room: { id: m.room.id } },
    ]);
    const rec = await stack.gql<{ rooms: { edges: { node: { smartlockRecipient: unknown } }[] } }>(ROOM_RECIPIENT, { first: 5 }, { token: m.token });
    expect(rec.body.errors).toBeUndefined();
    expect(rec.body.data!.rooms.edges[0]!.node.smartlockRecipient).toEqual({ recipientCode: 'Soumu-01', nameKanji: '総務部', verificationStatus: 'VERIFIED' });
  });

  it('USE without smartlock VIEW: the recipient list (smartlockRecipients) is FORBIDDEN at the gateway and at the subgraph', async () => {
    const m = await occupiedMember({ residents: 'USE', smartlock: 'NONE' });
    const viaGateway = await stack.gql(RECIPIENTS, {}, { token: m.token });
    expect(codesOf(viaGateway.body.errors)).toContain('FORBIDDEN');
    const direct = await stack.callSubgraph('smartlock', SUB_RECIPIENTS, {}, { accountId: m.account.id });
    expect(codesOf(direct.body.errors)).toEqual(['FORBIDDEN']);
    expect(direct.body.data ?? null).toBeNull();
  });
});

describe('smartlock recipients area (Smartlock受取者登録)', () => {
  it('NONE: smartlockRecipients is FORBIDDEN at the gateway and at the subgraph', async () => {
    const m = await occupiedMember({ residents: 'NONE', smartlock: 'NONE' });
    const before = stack.sqlStatements('smartlock');
    const viaGateway = await stack.gql(RECIPIENTS, {}, { token: m.token });
    expect(codesOf(viaGateway.body.errors)).toContain('FORBIDDEN');
    expect(viaGateway.body.data ?? null).toBeNull();
    expect(stack.sqlStatements('smartlock')).toBe(before);

    const direct = await stack.callSubgraph('smartlock', SUB_RECIPIENTS, {}, { accountId: m.account.id });
    expect(codesOf(direct.body.errors)).toEqual(['FORBIDDEN']);
    expect(direct.body.data ?? null).toBeNull();
  });

  it('VIEW: reads the recipients, their rooms and the room recipient', async () => {
    const m = await occupiedMember({ residents: 'NONE', smartlock: 'VIEW' });
    const r = await stack.gql<{ smartlockRecipients: { totalCount: number; edges: { node: Record<string, unknown> }[] } }>(RECIPIENTS, {}, { token: m.token });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.smartlockRecipients.totalCount).toBe(1);
    expect(r.body.data!.smartlockRecipients.edges[0]!.node).toEqual({
      recipientCode: 'Soumu-01',
      nameKanji: '総務部',
      email: 'soumu-01@example.jp',
      verificationStatus: 'VERIFIED',
      rooms: [{ id: m.room.id, roomNumber: '201' }],
    });
    const rec = await stack.gql<{ rooms: { edges: { node: { smartlockRecipient: { recipientCode: string } | null } }[] } }>(ROOM_RECIPIENT, { first: 5 }, { token: m.token });
    expect(rec.body.errors).toBeUndefined();
    expect(rec.body.data!.rooms.edges[0]!.node.smartlockRecipient?.recipientCode).toBe('Soumu-01');
  });

  it('VIEW without residents USE: Room.residents stays FORBIDDEN at the gateway and at the subgraph', async () => {
    const m = await occupiedMember({ residents: 'NONE', smartlock: 'VIEW' });
    const viaGateway = await stack.gql(ROOM_RESIDENTS, { first: 5 }, { token: m.token });
    expect(codesOf(viaGateway.body.errors)).toContain('FORBIDDEN');
    const direct = await stack.callSubgraph('smartlock', ENTITY_RESIDENTS, reps(m.room.id), { accountId: m.account.id });
    expect(codesOf(direct.body.errors)).toEqual(['FORBIDDEN']);
  });

  it('USE and the administrator read everything', async () => {
    for (const permissions of [{ smartlock: 'USE' as const, residents: 'USE' as const }, { admin: true }]) {
      const m = await occupiedMember(permissions);
      const list = await stack.gql<{ smartlockRecipients: { totalCount: number } }>(RECIPIENTS, {}, { token: m.token });
      expect(list.body.errors).toBeUndefined();
      expect(list.body.data!.smartlockRecipients.totalCount).toBe(1);
      const rooms = await stack.gql<{ rooms: { edges: { node: { residents: unknown[] } }[] } }>(ROOM_RESIDENTS, { first: 5 }, { token: m.token });
      expect(rooms.body.errors).toBeUndefined();
      expect(rooms.body.data!.rooms.edges[0]!.node.residents).toHaveLength(2);
    }
  });

  it('the subgraph refuses a request without the internal identity', async () => {
    const r = await stack.callSubgraph('smartlock', SUB_RECIPIENTS, {}, { identity: false });
    expect(r.status).toBe(401);
  });
});

describe('member isolation', () => {
  it("another member's room id reads like an unknown one: no residents, no recipient, via _entities straight to the subgraph", async () => {
    const owner = await occupiedMember({ residents: 'USE', smartlock: 'USE' });
    const other = await memberWithAccount(stack, { admin: true });
    const otherRoom = await stack.seed.room(other.member.id);
    const unknownRoom = '00000000-0000-4000-8000-000000000000';

    const direct = await stack.callSubgraph<{ _entities: { id: string; residents: unknown[]; smartlockRecipient: unknown }[] }>(
      'smartlock',
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Room { id residents { name } smartlockRecipient { recipientCode } } } }`,
      reps(owner.room.id, unknownRoom, otherRoom.id, 'not-a-uuid'),
      { accountId: other.account.id },
    );
    expect(direct.body.errors).toBeUndefined();
    expect(direct.body.data!._entities).toEqual([
      { id: owner.room.id, residents: [], smartlockRecipient: null },
      { id: unknownRoom, residents: [], smartlockRecipient: null },
      { id: otherRoom.id, residents: [], smartlockRecipient: null },
      { id: 'not-a-uuid', residents: [], smartlockRecipient: null },
    ]);

    // The owner, same query: its own rows are there (so the empty answer above is isolation, not absence).
    const own = await stack.callSubgraph<{ _entities: { residents: unknown[]; smartlockRecipient: unknown }[] }>(
      'smartlock',
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Room { residents { name } smartlockRecipient { recipientCode } } } }`,
      reps(owner.room.id),
      { accountId: owner.account.id },
    );
    expect(own.body.data!._entities[0]).toEqual({ residents: [{ name: '山田 太郎' }, { name: '山田 花子' }], smartlockRecipient: { recipientCode: 'Soumu-01' } });
  });

  it("another member's recipients never appear in the list, whatever the filter", async () => {
    const owner = await occupiedMember({ smartlock: 'VIEW' });
    const other = await memberWithAccount(stack, { smartlock: 'VIEW' });
    const q = `query($f: SmartlockRecipientFilter) { smartlockRecipients(filter: $f) { totalCount edges { node { recipientCode } } } }`;
    for (const f of [null, {}, { recipientCode: 'Soumu-01', exactMatch: true }, { recipientCode: 'Soumu' }, { name: '総務' }, { email: 'soumu' }, { verificationStatus: 'VERIFIED' }]) {
      const r = await stack.gql<{ smartlockRecipients: { totalCount: number; edges: unknown[] } }>(q, { f }, { token: other.token });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.smartlockRecipients).toEqual({ totalCount: 0, edges: [] });
      const direct = await stack.callSubgraph<{ smartlockRecipients: { totalCount: number } }>('smartlock', q, { f }, { accountId: other.account.id });
      expect(direct.body.data!.smartlockRecipients.totalCount).toBe(0);
    }
    const own = await stack.gql<{ smartlockRecipients: { totalCount: number } }>(q, { f: { recipientCode: 'soumu-01', exactMatch: true } }, { token: owner.token });
    expect(own.body.data!.smartlockRecipients.totalCount).toBe(1);
  });
});
