import { describe, expect, it } from 'vitest';
import { ACCOUNT_EVENTS, MEMBER_EVENTS, parseMemberEvent } from './member.events.ts';

const member = {
  v: 1, version: '42', memberId: '0b7c6f3e-1d2a-4c5b-8e9f-0a1b2c3d4e5f', memberNumber: '10000001', name: '株式会社サンプル',
  headOfficePostalCode: '100-0001', headOfficeAddress: '東京都千代田区千代田1-1', mailingPostalCode: null, mailingCity: null, mailingStreet: null, mailingBuilding: null,
  addresseeKind: 'CONTACT_PERSON', addresseeDepartment: null, addresseeContactName: 'ご担当者', addresseeContactKana: null, phone: '03-3000-0000', fax: null,
};

describe('member and account event contracts (v1)', () => {
  it('parses what tenancy writes (the outbox sequence arrives as text from jsonb and bigint)', () => {
    expect(parseMemberEvent(MEMBER_EVENTS.updated, member)).toEqual({ event: 'member.updated', data: { ...member, version: 42 } });
    expect(parseMemberEvent(ACCOUNT_EVENTS.upserted, { v: 1, version: 7, accountId: member.memberId, memberId: member.memberId, name: '管理 太郎' }).data).toMatchObject({ name: '管理 太郎', version: 7 });
  });

  it('refuses another contract version, a missing field, an unknown kind or event, rather than guessing', () => {
    expect(() => parseMemberEvent(MEMBER_EVENTS.updated, { ...member, v: 2 })).toThrow();
    expect(() => parseMemberEvent(MEMBER_EVENTS.updated, { ...member, name: undefined })).toThrow();
    expect(() => parseMemberEvent(MEMBER_EVENTS.updated, { ...member, addresseeKind: 'AGENT' })).toThrow();
    expect(() => parseMemberEvent(ACCOUNT_EVENTS.upserted, { v: 1, version: 7, accountId: 'x', memberId: member.memberId, name: 'a' })).toThrow();
    expect(() => parseMemberEvent('member.deleted', member)).toThrow(/Not a member or account event/);
  });
});
